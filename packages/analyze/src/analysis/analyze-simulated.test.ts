import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Random } from '@bucketry/stats';
import { PRESETS } from '../policy/presets.js';
import { simulateExport, type SimulateOptions } from '../simulate/simulate.js';
import { analyzeStream } from './analyze.js';
import { analyzeText, SKILL_TREE, streamOf } from './hand-written-export.test-helper.js';
import type { AnalyzeOptions } from './options.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const smoke = PRESETS['smoke-10']!;
const SMOKE: AnalyzeOptions = { ...SKILL_TREE, weights: smoke.weights, guardrails: smoke.guardrails };
const simulated = (options: SimulateOptions) => [...simulateExport(options)];

describe('analyzeStream: the sample ratio tests', () => {
  it('reports the anytime-valid sample ratio test beside the chi-square, and decides by it when asked', async () => {
    const lines = simulated({ users: 8000, rollout: 10, seed: 7, srm: true });
    const chiSquare = await analyzeText(lines, SMOKE);
    const sequential = await analyzeText(lines, { ...SMOKE, srm: { test: 'sequential' } });
    expect(chiSquare.srm).toMatchObject({ test: 'chi-square', status: 'fail' });
    expect(sequential.srm).toMatchObject({ test: 'sequential', status: 'fail', pValue: chiSquare.srm.pValue });
    expect(sequential.srm.sequential!.pValue).toBeLessThan(0.001);
    expect(sequential.checks[sequential.reasons[0]!]).toMatchObject({ check: 'srm', status: 'fail', threshold: 0.001 });
    const healthy = await analyzeText(simulated({ users: 8000, rollout: 10, seed: 7 }), SMOKE);
    expect(healthy.srm.sequential!.pValue).toBeGreaterThan(0.5);
  });
});

describe('analyzeStream on simulated exports', () => {
  const base: SimulateOptions = { users: 20_000, rollout: 10, seed: 7, lift: 0.05 };

  it('finds a healthy 10% smoke test healthy: split as configured, guardrails pass, proceed', async () => {
    const report = await analyzeText(simulated(base), SMOKE);
    const [tree, list] = report.variants;
    expect(tree!.units + list!.units).toBe(20_000);
    expect(list!.share!).toBeGreaterThan(0.09);
    expect(list!.share!).toBeLessThan(0.11);
    expect(report.srm.status).toBe('ok');
    expect(report.guardrails.map((g) => g.outcome)).toEqual(['proceed', 'proceed', 'proceed']);
    expect(report.decision).toBe('proceed');
    expect(report.input.badLines.count).toBe(0);
  });

  it('catches the sample ratio mismatch of a treatment losing 20% of its users, and holds', async () => {
    const report = await analyzeText(simulated({ ...base, srm: true }), SMOKE);
    expect(report.srm.status).toBe('fail');
    expect(report.srm.pValue).toBeLessThan(1e-6);
    expect(report.decision).toBe('hold');
    expect(report.checks[report.reasons[0]!]).toMatchObject({ check: 'srm', status: 'fail', outcome: 'hold' });
  });

  it('rolls back at an error rate above 5% and holds on a p95 load time between 5 and 10 s', async () => {
    const errors = await analyzeText(simulated({ ...base, users: 5000, errorRate: 0.1 }), SMOKE);
    expect(errors.guardrails.find((g) => g.guardrail.type === 'rate')!.outcome).toBe('rollback');
    expect(errors.decision).toBe('rollback');
    // Median 2.5 s with σ 0.6 in log space: p95 ≈ 2.5 s · e^(0.6·1.645) ≈ 6.7 s.
    const slow = await analyzeText(simulated({ ...base, users: 5000, latencyMs: 2500 }), SMOKE);
    const p95 = slow.guardrails.find((g) => g.guardrail.type === 'percentile')!;
    expect(p95.outcome).toBe('hold');
    expect(p95.arms[0]!.value!).toBeGreaterThan(5000);
    expect(p95.arms[0]!.value!).toBeLessThan(10_000);
  });

  it('rolls back when session starts from the tree drop well below the 5% margin', async () => {
    const report = await analyzeText(simulated({ ...base, lift: -0.3 }), SMOKE);
    const guardrail = report.guardrails.find((g) => g.guardrail.type === 'non-inferiority')!;
    expect(guardrail.outcome).toBe('rollback');
    // Even the upper bound of the relative lift is below −5%.
    expect(guardrail.arms[0]).toMatchObject({ outcome: 'rollback', reading: { kind: 'bounds', alpha: 0.05, alwaysValid: false } });
    const reading = guardrail.arms[0]!.reading as { lower: number; upper: number };
    expect(reading.upper).toBeLessThan(-0.05);
    expect(guardrail.arms[0]!.value).toBe(reading.lower);
  });

  it('gives the same analysis for the Amplitude and Segment exports of the same simulation', async () => {
    const options = { ...SMOKE, metrics: ['session_started_from_tree'] };
    const segment = await analyzeText(simulated({ ...base, users: 3000 }), options);
    const amplitude = await analyzeText(simulated({ ...base, users: 3000, format: 'amplitude' }), options);
    expect(amplitude.input.flavors).toEqual({ segment: 0, amplitude: segment.input.flavors.segment, bucketry: 0 });
    const { input: _a, ...fromAmplitude } = amplitude;
    const { input: _s, ...fromSegment } = segment;
    expect(fromAmplitude).toEqual(fromSegment);
  });

  it('does not depend on line order (except durations, which need the exposure first) or on gzip', async () => {
    const lines = simulated({ ...base, users: 3000, mixedUnits: 0.02 });
    const options = { ...SMOKE, metrics: ['session_started_from_tree'] };
    const inOrder = await analyzeText(lines, options);
    const random = new Random(5);
    const shuffled = [...lines];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const reordered = await analyzeText(shuffled, options);
    expect(reordered.variants).toEqual(inOrder.variants);
    expect(reordered.metrics).toEqual(inOrder.metrics);
    expect(reordered.balance).toEqual(inOrder.balance);
    expect(inOrder.mixedUnits).toBeGreaterThan(20);
    const gzipped = await analyzeStream(streamOf(gzipSync(lines.join('\n'))), options);
    expect(gzipped).toEqual(inOrder);
  });
});
