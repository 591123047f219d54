import { describe, expect, it } from 'vitest';
import { Random } from '@bucketry/stats';
import { closeTo, reference } from '../reference.test-helper.js';
import { balanceTolerancePoints } from './balance.js';
import { balanceFalseAlarmRate, balanceMinUnits, outsideTolerance } from './balance-rule.js';

describe('balanceMinUnits', () => {
  it('judges a bucket from the size at which the tolerance spans three standard errors: 900 units with the default tolerance, at any split', () => {
    for (const w of [0.5, 0.1, 0.25, 0.05]) expect(balanceMinUnits([1 - w, w], [balanceTolerancePoints(1 - w), balanceTolerancePoints(w)])).toBe(900);
    // ±4 points at 10/90: 0.09·(300/4)² = 506.25.
    expect(balanceMinUnits([0.9, 0.1], [4, 4])).toBe(507);
    expect(balanceMinUnits([0, 1], [5, 5])).toBe(1);
  });
});

describe('balanceFalseAlarmRate', () => {
  type Case = { units: number; share: number; tolerancePoints: number; rate: number };
  it.each(reference.balanceFalseAlarms as Case[])(
    'is the exact binomial chance that $units units at a share of $share leave ±$tolerancePoints points (SciPy: binom.pmf summed over the flagged counts)',
    ({ units, share, tolerancePoints, rate }) => {
      expect(closeTo(balanceFalseAlarmRate(units, [1 - share, share], [tolerancePoints, tolerancePoints]), rate, 1e-9, 1e-15)).toBe(true);
    },
  );

  it('sums over the variants when there are more than two (a bound), and is 0 for a variant that has all the weight', () => {
    const three = balanceFalseAlarmRate(900, [0.5, 0.25, 0.25], [5, 5, 5]);
    const each = (w: number) => balanceFalseAlarmRate(900, [1 - w, w], [5, 5]);
    expect(closeTo(three, each(0.5) + 2 * each(0.25), 1e-12)).toBe(true);
    expect(balanceFalseAlarmRate(900, [0, 1], [5, 5])).toBe(0);
  });
});

describe('an A/A split judged bucket by bucket', () => {
  // 4,000 buckets of exactly the minimum size (900 units), each unit in the treatment with its
  // expected share: the share of buckets flagged must be the stated false-alarm rate, about 0.24%
  // (α for a bucket of 900 units; larger buckets are flagged less). With 4,000 buckets that rate
  // gives 9.6 ± 3.1 flags (binomial SD), so the count must fall within 3 SD of it. Buckets of 100
  // units, the old minimum, are flagged about a quarter of the time.
  const BUCKETS = 4000;
  it.each([0.5, 0.1])('at a treatment share of %s, flags the stated share of judged buckets, and a quarter at the old minimum of 100', (w) => {
    const random = new Random(Math.round(w * 100));
    const tolerance = balanceTolerancePoints(w);
    const minUnits = balanceMinUnits([1 - w, w], [tolerance, tolerance]);
    const alpha = balanceFalseAlarmRate(minUnits, [1 - w, w], [tolerance, tolerance]);
    expect(alpha).toBeLessThan(0.003);
    const flaggedShare = (units: number) => {
      let flagged = 0;
      for (let b = 0; b < BUCKETS; b++) {
        let treated = 0;
        for (let i = 0; i < units; i++) if (random.next() < w) treated++;
        if (outsideTolerance(treated / units, w, tolerance) || outsideTolerance(1 - treated / units, 1 - w, tolerance)) flagged++;
      }
      return flagged;
    };
    const expected = alpha * BUCKETS;
    const sd = Math.sqrt(BUCKETS * alpha * (1 - alpha));
    const flagged = flaggedShare(minUnits);
    expect(flagged).toBeLessThanOrEqual(expected + 3 * sd);
    expect(flagged).toBeGreaterThanOrEqual(expected - 3 * sd);
    expect(flaggedShare(100)).toBeGreaterThan(0.2 * BUCKETS);
  });
});
