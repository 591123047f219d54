import { describe, expect, it } from 'vitest';
import { quantileSorted } from './quantiles.js';
import { reference } from './reference.test-helper.js';

describe('quantileSorted', () => {
  it.each(reference.quantiles.exact as { values: number[]; q: number; quantile: number }[])(
    'matches numpy.percentile for $values at q = $q',
    ({ values, q, quantile }) => {
      const sorted = [...values].sort((a, b) => a - b);
      expect(quantileSorted(sorted, q)).toBeCloseTo(quantile, 10);
    },
  );

  it('is NaN for no values and refuses q outside [0, 1]', () => {
    expect(quantileSorted([], 0.5)).toBeNaN();
    expect(() => quantileSorted([1], 95)).toThrow('q is 95, must be from 0 to 1');
  });
});
