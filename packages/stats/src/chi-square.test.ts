import { describe, expect, it } from 'vitest';
import { chiSquareGoodnessOfFit, chiSquareSurvival, logGamma, regularizedUpperGamma } from './chi-square.js';
import { closeTo, reference } from './reference.test-helper.js';

describe('chiSquareSurvival', () => {
  it.each(reference.chiSquare.survival as { x: number; df: number; p: number }[])('matches SciPy at x = $x, df = $df', ({ x, df, p }) => {
    expect(closeTo(chiSquareSurvival(x, df), p, 1e-11), `${chiSquareSurvival(x, df)} vs ${p}`).toBe(true);
  });

  it('is 1 at 0, 0 at infinity, and refuses df <= 0', () => {
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
    expect(() => chiSquareSurvival(1, 0)).toThrow('df is 0, must be > 0');
  });

  it('logGamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 11);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
  });
});

describe('chiSquareGoodnessOfFit', () => {
  type Case = { observed: number[]; weights: number[]; chiSquare: number; df: number; pValue: number; expected: number[] };
  it.each(reference.chiSquare.goodnessOfFit as Case[])('matches scipy.stats.chisquare for $observed against $weights', (c) => {
    const result = chiSquareGoodnessOfFit(c.observed, c.weights);
    expect(closeTo(result.chiSquare, c.chiSquare, 1e-12)).toBe(true);
    expect(result.df).toBe(c.df);
    expect(closeTo(result.pValue, c.pValue, 1e-10), `${result.pValue} vs ${c.pValue}`).toBe(true);
    result.expected.forEach((e, i) => expect(e).toBeCloseTo(c.expected[i]!, 9));
  });

  it('treats units in a zero-weight variant as an impossible outcome', () => {
    expect(chiSquareGoodnessOfFit([3, 997], [0, 100])).toMatchObject({ chiSquare: Infinity, pValue: 0 });
    expect(chiSquareGoodnessOfFit([0, 1000], [0, 100])).toMatchObject({ chiSquare: 0, df: 0, pValue: 1 });
  });

  it('names the problem with mismatched or invalid weights', () => {
    expect(() => chiSquareGoodnessOfFit([1, 2], [1])).toThrow('2 observed counts but 1 weights');
    expect(() => chiSquareGoodnessOfFit([1, 2], [0, 0])).toThrow('must be >= 0 and not all 0');
  });
});

describe('regularizedUpperGamma and logGamma', () => {
  it.each(reference.chiSquare.upperGamma as { a: number; x: number; q: number }[])('Q($a, $x) matches scipy.special.gammaincc', ({ a, x, q }) => {
    expect(closeTo(regularizedUpperGamma(a, x), q, 1e-9), `${regularizedUpperGamma(a, x)} vs ${q}`).toBe(true);
  });

  it.each(reference.chiSquare.logGamma as { x: number; value: number }[])('ln Γ($x) matches scipy.special.gammaln', ({ x, value }) => {
    expect(closeTo(logGamma(x), value, 1e-12), `${logGamma(x)} vs ${value}`).toBe(true);
  });
});
