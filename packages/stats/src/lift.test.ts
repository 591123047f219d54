import { describe, expect, it } from 'vitest';
import { newcombeDifferenceInterval } from './difference-interval.js';
import { conversionLift, relativeLiftBounds, type LiftInterval } from './lift.js';
import { koopmanRatioInterval } from './ratio-interval.js';
import { closeTo, reference } from './reference.test-helper.js';
import { twoProportionZTest } from './two-proportion.js';
import { wilsonInterval } from './wilson.js';

type Level = { absolute: LiftInterval; relative: LiftInterval | null };
type Case = { controlConversions: number; controlUnits: number; treatmentConversions: number; treatmentUnits: number; levels: Record<string, Level> };
const cases = reference.liftIntervals as Case[];
const counts = (c: Case) => [c.controlConversions, c.controlUnits, c.treatmentConversions, c.treatmentUnits] as const;
const caseOf = (xC: number, nC: number, xT: number, nT: number) => cases.find((c) => counts(c).join() === [xC, nC, xT, nT].join())!;

const same = (actual: LiftInterval, expected: LiftInterval) => {
  for (const key of ['estimate', 'low', 'high'] as const) {
    expect(closeTo(actual[key], expected[key], 1e-9, 1e-12), `${key}: ${actual[key]} vs ${expected[key]}`).toBe(true);
  }
};

describe('wilsonInterval', () => {
  it.each(reference.wilson as { x: number; n: number; confidence: number; low: number; high: number }[])(
    "matches SciPy's binomtest(...).proportion_ci(method='wilson') for $x/$n at $confidence",
    ({ x, n, confidence, low, high }) => {
      const interval = wilsonInterval(x, n, confidence);
      expect(closeTo(interval.low, low, 1e-12, 1e-15), `${interval.low} vs ${low}`).toBe(true);
      expect(closeTo(interval.high, high, 1e-12, 1e-15), `${interval.high} vs ${high}`).toBe(true);
    },
  );
});

describe('conversionLift', () => {
  // The reference: Newcombe's method 10 from SciPy's Wilson intervals (its examples agree with his
  // 1998 table to 4 decimals, checked in make_reference.py), and Koopman's score interval with the
  // restricted estimate found numerically rather than by the quadratic used here.
  describe.each(['0.95', '0.9'])('at %s', (level) => {
    it.each(cases)('matches the score intervals computed in Python for $controlConversions/$controlUnits vs $treatmentConversions/$treatmentUnits', (c) => {
      const expected = c.levels[level]!;
      const lift = conversionLift(...counts(c), Number(level));
      same(lift.absolute, expected.absolute);
      same(newcombeDifferenceInterval(...counts(c), Number(level)), expected.absolute);
      if (expected.relative === null) {
        expect(lift.relative).toBeUndefined();
        expect(koopmanRatioInterval(...counts(c), Number(level))).toBeUndefined();
      } else {
        same(lift.relative!, expected.relative);
      }
    });
  });

  it('keeps its width when both arms have only events: 3/3 vs 3/3 is no proof of anything', () => {
    const { absolute, relative } = conversionLift(3, 3, 3, 3);
    same(absolute, caseOf(3, 3, 3, 3).levels['0.95']!.absolute);
    expect(absolute.high - absolute.low).toBeGreaterThan(1);
    expect(relative!.low).toBeLessThan(-0.5);
    expect(relative!.high).toBeGreaterThan(1);
  });

  it('gives a treatment without events a relative interval from −100% up, not the point [−100%, −100%]', () => {
    const { relative } = conversionLift(1, 5, 0, 5);
    expect(relative!.estimate).toBe(-1);
    expect(relative!.low).toBe(-1);
    same(relative!, caseOf(1, 5, 0, 5).levels['0.95']!.relative!);
    expect(relative!.high).toBeGreaterThan(1);
  });

  it('does not exclude 0 beside a z-test p-value of 0.21 (0/2 vs 3/6)', () => {
    expect(twoProportionZTest(0, 2, 3, 6)!.pValue).toBeGreaterThan(0.2);
    const { absolute } = conversionLift(0, 2, 3, 6);
    expect(absolute.low).toBeLessThan(0);
    expect(absolute.high).toBeGreaterThan(0);
  });

  it('narrows the interval at a lower confidence, and refuses a level that is not one', () => {
    const wide = conversionLift(100, 1000, 120, 1000, 0.99).absolute;
    const narrow = conversionLift(100, 1000, 120, 1000, 0.8).absolute;
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
    expect(() => conversionLift(1, 10, 1, 10, 95)).toThrow('confidence is 95, must be between 0 and 1');
  });
});

describe('relativeLiftBounds', () => {
  it('are the ends of the two-sided interval at 1 − 2α', () => {
    for (const c of cases.filter((c) => c.levels['0.9']!.relative !== null)) {
      const bounds = relativeLiftBounds(...counts(c), 0.05)!;
      same({ estimate: 0, low: bounds.lower, high: bounds.upper }, { ...c.levels['0.9']!.relative!, estimate: 0 });
    }
  });

  it('do not exist without control conversions', () => {
    expect(relativeLiftBounds(0, 10, 3, 10, 0.05)).toBeUndefined();
    expect(() => relativeLiftBounds(1, 10, 3, 10, 0.5)).toThrow('alpha is 0.5, must be between 0 and 0.5');
  });
});
