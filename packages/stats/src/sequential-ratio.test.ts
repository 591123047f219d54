import { describe, expect, it } from 'vitest';
import { Random } from './prng.js';
import { chiSquareGoodnessOfFit } from './chi-square.js';
import { closeTo, reference } from './reference.test-helper.js';
import { ratioLogBayesFactor, SequentialRatioTest } from './sequential-ratio.js';

/** The arrival order fixtures/make_reference.py uses: unit i lands where frac(i·2654435761/2³²) falls among the cumulative shares. */
function arrivals(count: number, shares: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const u = (Math.imul(i, 2654435761) >>> 0) / 2 ** 32;
    let cumulative = 0;
    let variant = shares.length - 1;
    for (let v = 0; v < shares.length; v++) {
      cumulative += shares[v]!;
      if (u < cumulative) {
        variant = v;
        break;
      }
    }
    out.push(variant);
  }
  return out;
}

describe('the sequential sample ratio test', () => {
  type Closed = { counts: number[]; weights: number[]; concentration: number; logBayesFactor: number };
  it.each(reference.sequentialRatio.closedForm as Closed[])('ln BF of $counts against $weights (c = $concentration) matches SciPy gammaln', (c) => {
    expect(closeTo(ratioLogBayesFactor(c.counts, c.weights, c.concentration), c.logBayesFactor, 1e-9, 1e-9)).toBe(true);
  });

  type Path = { count: number; weights: number[]; arrivalShares: number[]; concentration: number; checkpoints: Record<string, { logBayesFactor: number; pValue: number }> };
  it.each(reference.sequentialRatio.paths as Path[])('unit by unit, gives the closed form and the running p-value on $count units arriving at $arrivalShares for $weights', (path) => {
    const test = new SequentialRatioTest(path.weights, path.concentration);
    arrivals(path.count, path.arrivalShares).forEach((variant, i) => {
      test.add(variant);
      const checkpoint = path.checkpoints[String(i + 1)];
      if (checkpoint === undefined) return;
      expect(closeTo(test.logBayesFactor, checkpoint.logBayesFactor, 1e-9, 1e-8), `ln BF after ${i + 1}`).toBe(true);
      expect(closeTo(test.pValue, checkpoint.pValue, 1e-8), `p after ${i + 1}`).toBe(true);
    });
  });

  it('calls a unit in a variant weighted 0 impossible', () => {
    const test = new SequentialRatioTest([1, 0]);
    test.add(0);
    expect(test.pValue).toBeGreaterThan(0.5);
    test.add(1);
    expect(test.pValue).toBe(0);
    expect(ratioLogBayesFactor([5, 1], [1, 0])).toBe(Infinity);
  });

  it('keeps false alarms at α however often one looks, where a chi-square at every look does not', () => {
    // 400 experiments with no mismatch (90/10), each looked at after every 20 units up to 2,000.
    const random = new Random(2024);
    let sequentialAlarms = 0;
    let chiSquareAlarms = 0;
    for (let experiment = 0; experiment < 400; experiment++) {
      const test = new SequentialRatioTest([90, 10]);
      const counts = [0, 0];
      let chiSquareAlarm = false;
      for (let unit = 1; unit <= 2000; unit++) {
        const variant = random.next() < 0.9 ? 0 : 1;
        counts[variant]!++;
        test.add(variant);
        if (unit % 20 === 0 && chiSquareGoodnessOfFit(counts, [90, 10]).pValue < 0.05) chiSquareAlarm = true;
      }
      if (test.pValue < 0.05) sequentialAlarms++;
      if (chiSquareAlarm) chiSquareAlarms++;
    }
    // α = 0.05 of 400 is 20; Ville's inequality bounds the sequential test's rate by it.
    expect(sequentialAlarms).toBeLessThanOrEqual(20);
    expect(chiSquareAlarms).toBeGreaterThan(60);
  });
});
