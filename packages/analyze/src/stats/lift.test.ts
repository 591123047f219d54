import { describe, expect, it } from 'vitest';
import { conversionLift, oneSidedBounds } from './lift.js';
import { closeTo, reference } from './reference.test-helper.js';

type Interval = { estimate: number; standardError: number; low: number; high: number };
type Case = {
  controlConversions: number;
  controlUnits: number;
  treatmentConversions: number;
  treatmentUnits: number;
  absolute: Interval;
  relative?: Interval & { lowerOneSided95: number; upperOneSided95: number };
};

const same = (actual: Interval, expected: Interval) => {
  for (const key of ['estimate', 'standardError', 'low', 'high'] as const) {
    expect(closeTo(actual[key], expected[key], 1e-9, 1e-15), `${key}: ${actual[key]} vs ${expected[key]}`).toBe(true);
  }
};

describe('conversionLift', () => {
  it.each(reference.lift as Case[])('matches the delta method in SciPy for $controlConversions/$controlUnits vs $treatmentConversions/$treatmentUnits', (c) => {
    const lift = conversionLift(c.controlConversions, c.controlUnits, c.treatmentConversions, c.treatmentUnits);
    same(lift.absolute, c.absolute);
    if (c.relative === undefined) {
      expect(lift.relative).toBeUndefined();
      return;
    }
    same(lift.relative!, c.relative);
    const bounds = oneSidedBounds(lift.relative!, 0.05);
    expect(bounds.lower).toBeCloseTo(c.relative.lowerOneSided95, 10);
    expect(bounds.upper).toBeCloseTo(c.relative.upperOneSided95, 10);
  });

  it('agrees with the worked example in docs (lift 10%, CI 1.087% to 18.913%)', () => {
    const { absolute, relative } = conversionLift(1000, 10_000, 1100, 10_000);
    expect(absolute.low).toBeCloseTo(0.0015, 4);
    expect(absolute.high).toBeCloseTo(0.0185, 4);
    expect(relative!.standardError).toBeCloseTo(0.045475, 6);
    expect(relative!.low).toBeCloseTo(0.01087, 5);
    expect(relative!.high).toBeCloseTo(0.18913, 5);
  });

  it('narrows the interval at a lower confidence', () => {
    const wide = conversionLift(100, 1000, 120, 1000, 0.99).absolute;
    const narrow = conversionLift(100, 1000, 120, 1000, 0.8).absolute;
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
    expect(() => conversionLift(1, 10, 1, 10, 95)).toThrow('confidence is 95, must be between 0 and 1');
  });
});
