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

const expectRelativelyClose = (actual: number, expected: number, tolerance = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * tolerance);
};

// Reference values from SciPy 1.17.1: scipy.special.gammaincc(a, x) and scipy.special.gammaln(x).
describe('regularizedUpperGamma and logGamma', () => {
  it('match scipy.special.gammaincc and gammaln', () => {
    expectRelativelyClose(regularizedUpperGamma(0.5, 0.3), 0.4385780260809997);
    expectRelativelyClose(regularizedUpperGamma(2.5, 10), 0.0012497305630313773);
    expectRelativelyClose(regularizedUpperGamma(49.5, 75), 0.0007204453957169282);
    expectRelativelyClose(logGamma(0.5), 0.5723649429247, 1e-12);
    expectRelativelyClose(logGamma(49.5), 142.617282821146, 1e-12);
    expectRelativelyClose(logGamma(3), Math.log(2), 1e-12);
  });
});
