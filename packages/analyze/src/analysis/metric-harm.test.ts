import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../policy/policy.js';
import { analyzeStream } from './analyze.js';
import type { AnalyzeOptions } from './options.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const OPTIONS: AnalyzeOptions = { experiment: 'checkout_v2', variants: ['old', 'new'], metrics: ['purchase'] };
const T0 = Date.UTC(2025, 5, 2, 8, 0, 0);

/** An export with `units` units per arm, of whom the first `converted[v]` of variant v purchase after their exposure. */
function exportLines(units: number, converted: readonly number[]): string {
  const lines: string[] = [];
  OPTIONS.variants.forEach((variant, v) => {
    for (let i = 0; i < units; i++) {
      const userId = `${variant}-${i}`;
      const timestamp = new Date(T0 + i * 1000).toISOString();
      lines.push(JSON.stringify({ event: 'experiment_exposure', userId, properties: { experiment: 'checkout_v2', variant }, timestamp }));
      if (i < converted[v]!) lines.push(JSON.stringify({ event: 'purchase', userId, properties: {}, timestamp: new Date(T0 + i * 1000 + 500).toISOString() }));
    }
  });
  return lines.join('\n') + '\n';
}

const analyse = (units: number, converted: readonly number[], options: Partial<AnalyzeOptions> = {}) =>
  analyzeStream(Readable.from([Buffer.from(exportLines(units, converted))]), { ...OPTIONS, ...options });

describe('a success metric significantly worse than control', () => {
  it('holds the rollout by default, with the metric, the lift and the adjusted p-value as the reason (10.0% → 8.4%, 5,000 units per arm)', async () => {
    const report = await analyse(5000, [500, 420]);
    const [comparison] = report.metrics[0]!.comparisons;
    expect(comparison!.significant).toBe(true);
    expect(comparison!.absoluteLift!.estimate).toBeLessThan(0);
    expect(report.decision).toBe('hold');
    const check = report.checks.find((c) => c.check === 'success-metric')!;
    // The numbers the reason is worded from (format/check-text.test.ts pins the words).
    expect(check).toEqual({
      check: 'success-metric',
      status: 'fail',
      outcome: 'hold',
      metric: 'purchase',
      alwaysValid: false,
      harmed: [{ treatment: 'new', control: 'old', treatmentRate: 0.084, controlRate: 0.1, relativeLift: comparison!.relativeLift!.estimate, adjustedPValue: comparison!.adjustedPValue }],
    });
    expect(comparison!.relativeLift!.estimate).toBeCloseTo(-0.16, 12);
    expect(comparison!.adjustedPValue).toBeCloseTo(0.0056, 4);
    expect(report.checks[report.reasons[0]!]).toBe(check);
  });

  it('rolls back where the policy says so', async () => {
    const policy = validatePolicy({ onSignificantHarm: 'rollback' });
    const report = await analyse(5000, [500, 420], { onSignificantHarm: policy.onSignificantHarm! });
    expect(report.decision).toBe('rollback');
    expect(report.checks.find((c) => c.check === 'success-metric')).toMatchObject({ status: 'fail', outcome: 'rollback' });
  });

  it('proceeds on a significant improvement, and on a drop that is not significant after the correction', async () => {
    const better = await analyse(5000, [420, 500]);
    expect(better.metrics[0]!.comparisons[0]!.significant).toBe(true);
    expect(better.decision).toBe('proceed');
    expect(better.checks.find((c) => c.check === 'success-metric')).toMatchObject({ status: 'pass', outcome: 'proceed' });
    const unclear = await analyse(5000, [500, 470]);
    expect(unclear.metrics[0]!.comparisons[0]!.significant).toBe(false);
    expect(unclear.decision).toBe('proceed');
  });

  it('with sequential tests deciding, holds on a drop significant at every look, not on one significant at a single look', async () => {
    // 10.0% → 8.4%: z-test p = 0.0056, always-valid p = 0.098; 10.0% → 7.6%: always-valid p < 0.001.
    const once = await analyse(5000, [500, 420], { sequential: true });
    expect(once.metrics[0]!.comparisons[0]).toMatchObject({ significant: true, sequential: { significant: false } });
    expect(once.decision).toBe('proceed');
    const always = await analyse(5000, [500, 380], { sequential: true });
    expect(always.decision).toBe('hold');
    const [harmed] = always.metrics[0]!.comparisons;
    expect(always.checks[always.reasons[0]!]).toEqual({
      check: 'success-metric',
      status: 'fail',
      outcome: 'hold',
      metric: 'purchase',
      alwaysValid: true,
      harmed: [{ treatment: 'new', control: 'old', treatmentRate: 0.076, controlRate: 0.1, relativeLift: harmed!.relativeLift!.estimate, adjustedPValue: harmed!.sequential!.adjustedPValue }],
    });
    expect(always.sequential).toEqual({ decides: true, horizon: 10_000 });
  });

  it('refuses any other onSignificantHarm in a policy', () => {
    expect(() => validatePolicy({ onSignificantHarm: 'proceed' })).toThrow('onSignificantHarm is "proceed", must be "hold" or "rollback"');
  });
});
