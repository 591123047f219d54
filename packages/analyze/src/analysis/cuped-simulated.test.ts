import { Random } from '@bucketry/stats';
import { describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { analyzeStream } from './analyze.js';
import { streamOf } from './hand-written-export.test-helper.js';

useSlowTestTimeouts();

const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.UTC(2026, 5, 1) + ms).toISOString();

/**
 * An A/A export in time order: 1,500 units in two identical arms, each with its own chance
 * (uniform 0–100%) of a `purchase` in the week before its exposure and, independently, after it.
 */
function aaExport(random: Random): Buffer {
  const before: string[] = [];
  const exposures: string[] = [];
  const after: string[] = [];
  for (let k = 0; k < 1500; k++) {
    const unit = `u${k}`;
    const chance = random.next();
    if (random.next() < chance) before.push(JSON.stringify({ event: 'purchase', userId: unit, timestamp: at(2 * DAY) }));
    exposures.push(JSON.stringify({ event: 'experiment_exposure', userId: unit, timestamp: at(7 * DAY), properties: { experiment: 'x', variant: random.next() < 0.5 ? 'a' : 'b' } }));
    if (random.next() < chance) after.push(JSON.stringify({ event: 'purchase', userId: unit, timestamp: at(8 * DAY) }));
  }
  return Buffer.from([...before, ...exposures, ...after].join('\n'));
}

describe('CUPED in A/A simulations', () => {
  it('holds its 5% level, with intervals narrower than the unadjusted ones', async () => {
    const random = new Random(19);
    const runs = 200;
    let rejected = 0;
    let reduction = 0;
    for (let run = 0; run < runs; run++) {
      const report = await analyzeStream(streamOf(aaExport(random)), { experiment: 'x', variants: ['a', 'b'], metrics: ['purchase'], cupedWindowMs: 7 * DAY });
      const c = report.cuped!.metrics[0]!.comparisons[0]!;
      if (c.pValue! < 0.05) rejected++;
      reduction += c.varianceReduction!;
    }
    // 5% ± 3 binomial SEs for 200 runs.
    const se = Math.sqrt((0.05 * 0.95) / runs);
    expect(rejected / runs).toBeGreaterThan(0.05 - 3 * se);
    expect(rejected / runs).toBeLessThan(0.05 + 3 * se);
    // X and Y share a unit's chance c ~ U(0, 1): ρ = Var(c)/Var(X) = (1/12)/(1/4) = 1/3, so the
    // variance shrinks by about ρ² = 1/9.
    expect(reduction / runs).toBeGreaterThan(0.09);
    expect(reduction / runs).toBeLessThan(0.13);
  });
});
