import { describe, expect, it } from 'vitest';
import { closeTo, reference } from './reference.test-helper.js';
import { twoProportionZTest } from './two-proportion.js';

type Case = { controlConversions: number; controlUnits: number; treatmentConversions: number; treatmentUnits: number; z: number; pValue: number };

describe('twoProportionZTest', () => {
  it.each(reference.twoProportion as Case[])(
    'matches SciPy for $controlConversions/$controlUnits vs $treatmentConversions/$treatmentUnits',
    (c) => {
      const result = twoProportionZTest(c.controlConversions, c.controlUnits, c.treatmentConversions, c.treatmentUnits)!;
      expect(closeTo(result.z, c.z, 1e-12)).toBe(true);
      expect(closeTo(result.pValue, c.pValue, 1e-9), `${result.pValue} vs ${c.pValue}`).toBe(true);
    },
  );

  it('has no test when the pooled standard error is 0 (no unit converted, or every unit did): not z = 0, p = 1', () => {
    expect(twoProportionZTest(0, 500, 0, 60)).toBeUndefined();
    expect(twoProportionZTest(40, 40, 7, 7)).toBeUndefined();
  });

  it('names the arm, the value and the rule on bad counts', () => {
    expect(() => twoProportionZTest(1, 0, 1, 10)).toThrow('control units is 0, must be a whole number >= 1');
    expect(() => twoProportionZTest(1, 10, 11, 10)).toThrow('treatment conversions is 11, must be a whole number from 0 to 10');
  });
});
