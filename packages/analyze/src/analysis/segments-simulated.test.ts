import { Random } from '@bucketry/stats';
import { describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { analyzeStream } from './analyze.js';
import { streamOf } from './hand-written-export.test-helper.js';

useSlowTestTimeouts();

/**
 * An A/A export: 2,000 units split at random between two identical arms, each in one of six
 * regions, each converting with the same chance whatever its arm.
 */
function aaExport(random: Random): Buffer {
  const lines: string[] = [];
  for (let k = 0; k < 2000; k++) {
    const unit = `u${k}`;
    const variant = random.next() < 0.5 ? 'a' : 'b';
    const region = `r${Math.floor(random.next() * 6)}`;
    lines.push(JSON.stringify({ event: 'experiment_exposure', userId: unit, timestamp: '2026-06-01T00:00:00Z', properties: { experiment: 'x', variant, region } }));
    if (random.next() < 0.2) lines.push(JSON.stringify({ event: 'signup', userId: unit, timestamp: '2026-06-01T01:00:00Z' }));
  }
  return Buffer.from(lines.join('\n'));
}

describe('segments in A/A simulations', () => {
  it('flag some slice far more often than α without the correction over slices, and about α with it', async () => {
    const random = new Random(2026);
    const runs = 200;
    let anyRaw = 0;
    let anyAdjusted = 0;
    let single = 0;
    let total = 0;
    for (let run = 0; run < runs; run++) {
      const report = await analyzeStream(streamOf(aaExport(random)), { experiment: 'x', variants: ['a', 'b'], metrics: ['signup'], segments: ['region'] });
      const comparisons = report.segments[0]!.slices.map((slice) => slice.metrics[0]!.comparisons[0]!);
      if (comparisons.some((c) => c.pValue !== null && c.pValue < 0.05)) anyRaw++;
      single += comparisons.filter((c) => c.pValue !== null && c.pValue < 0.05).length;
      total += comparisons.length;
      if (comparisons.some((c) => c.significant === true)) anyAdjusted++;
    }
    // Each slice's test alone holds its level: about 5% of the comparisons have p < 0.05.
    expect(single / total).toBeGreaterThan(0.035);
    expect(single / total).toBeLessThan(0.065);
    // Six slices at α = 0.05 each: some slice is "significant" in 1 − 0.95⁶ ≈ 26% of A/A runs. Holm
    // over the slices keeps the chance of any false finding at α: 5% + 3 binomial SEs for 200 runs.
    expect(anyRaw / runs).toBeGreaterThan(0.15);
    expect(anyAdjusted / runs).toBeLessThan(0.05 + 3 * Math.sqrt((0.05 * 0.95) / runs));
  });
});
