import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalSurvival, twoSidedQuantile } from './normal.js';
import { closeTo, reference } from './reference.test-helper.js';

describe('normalCdf / normalSurvival', () => {
  it.each(reference.normal.cdf as { x: number; cdf: number; sf: number }[])('match SciPy at x = $x', ({ x, cdf, sf }) => {
    expect(closeTo(normalCdf(x), cdf, 1e-13, 1e-300), `cdf ${normalCdf(x)} vs ${cdf}`).toBe(true);
    expect(closeTo(normalSurvival(x), sf, 1e-13, 1e-300), `sf ${normalSurvival(x)} vs ${sf}`).toBe(true);
  });

  it('is symmetric and monotone', () => {
    for (let x = -6; x <= 6; x += 0.37) {
      expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 14);
      expect(normalCdf(x + 0.01)).toBeGreaterThan(normalCdf(x));
    }
  });
});

describe('normalQuantile', () => {
  it.each(reference.normal.quantile as { p: number; x: number }[])('matches SciPy at p = $p', ({ p, x }) => {
    expect(closeTo(normalQuantile(p), x, 1e-12, 1e-15), `${normalQuantile(p)} vs ${x}`).toBe(true);
  });

  it('inverts normalCdf', () => {
    for (const x of [-7, -2.5, -0.1, 0.4, 1.7, 5]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 9);
  });

  it('gives ±∞ at 0 and 1 and refuses probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow('p is 1.5, must be from 0 to 1');
    expect(() => normalQuantile(NaN)).toThrow('p is NaN');
  });
});

describe('twoSidedQuantile', () => {
  it('is the quantile at 1 − (1 − c)/2: 1.96 at 95%, 1.645 at 90%', () => {
    expect(twoSidedQuantile(0.95)).toBe(normalQuantile(0.975));
    expect(closeTo(twoSidedQuantile(0.9), 1.6448536269514722, 1e-12)).toBe(true);
  });
});
