import { describe, expect, it } from 'vitest';
import { closeTo, reference } from '../reference.test-helper.js';
import { welchTTest } from '@bucketry/stats';
import { pValue } from './numbers.js';

describe('pValue', () => {
  it("prints Welch's far-tail p-values to their shown digits: t = 11.29 with df = 7816 is 2.48e-29, as in SciPy", () => {
    // Two arms whose Welch df is 7816 and t 11.29: equal counts and spreads give df = 2n − 2.
    const arm = { count: 3909, sd: 1 };
    const se = Math.sqrt(2 / 3909);
    const welch = welchTTest({ ...arm, mean: 0 }, { ...arm, mean: 11.29 * se })!;
    expect(welch.df).toBeCloseTo(7816, 9);
    const { t, df, pValue: sciPy } = reference.welchFarTail as { t: number; df: number; pValue: number };
    expect([t, df]).toEqual([11.29, 7816]);
    expect(closeTo(welch.pValue, sciPy, 1e-6)).toBe(true);
    expect(pValue(welch.pValue)).toBe(sciPy.toExponential(2));
  });

  it('says "< 1e-300" below 1e-300, where no digits are promised', () => {
    expect(pValue(0)).toBe('< 1e-300');
    expect(pValue(3e-310)).toBe('< 1e-300');
    expect(pValue(2e-300)).toBe('2.00e-300');
  });
});
