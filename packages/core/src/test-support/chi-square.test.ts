import { describe, expect, it } from 'vitest';
import {
  chiSquareUpperTail,
  goodnessOfFit,
  independence,
  proportion,
} from './chi-square.js';

// Reference values computed with SciPy 1.17.1 (Debian python3-scipy):
// scipy.stats.chi2.sf(x, df),
// scipy.stats.chisquare(...) and scipy.stats.chi2_contingency(..., correction=False).
const CHI2_SF: readonly [x: number, df: number, p: number][] = [
  [1e-6, 1, 0.9992021155721779],
  [0.5, 1, 0.47950012218695337],
  [3.841458820694124, 1, 0.04999999999999989],
  [10.827566170662733, 1, 0.0010000000000000007],
  [50, 1, 1.537459794428033e-12],
  [1e-3, 2, 0.9995001249791693],
  [2, 2, 0.36787944117144245],
  [50, 2, 1.3887943864964e-11],
  [7.5, 3, 0.0575584519726364],
  [300, 3, 9.948758346327588e-65],
  [4, 4, 0.40600584970983794],
  [20, 10, 0.029252688076961124],
  [0.3, 10, 0.9999994414192152],
  [80, 99, 0.9191878735980901],
  [99, 99, 0.4810969124082639],
  [150, 99, 0.0007204453957169282],
  [300, 99, 4.2266534644194534e-22],
  [1000, 99, 7.229607902491268e-149],
  [140, 120, 0.10239714943048313],
];

const expectRelativelyClose = (actual: number, expected: number, tolerance = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * tolerance);
};

describe('chiSquareUpperTail', () => {
  it.each(CHI2_SF)('chi2.sf(%s, %s) matches SciPy', (x, df, p) => {
    expectRelativelyClose(chiSquareUpperTail(x, df), p);
  });

  it('is 1 at 0 and underflows to 0 far in the tail, like SciPy', () => {
    expect(chiSquareUpperTail(0, 1)).toBe(1);
    expect(chiSquareUpperTail(0, 99)).toBe(1);
    expect(chiSquareUpperTail(2000, 1)).toBe(0); // SciPy also gives 0.0
  });

  it('refuses non-integer or non-positive degrees of freedom and negative statistics', () => {
    expect(() => chiSquareUpperTail(1, 0)).toThrow(RangeError);
    expect(() => chiSquareUpperTail(1, 1.5)).toThrow(RangeError);
    expect(() => chiSquareUpperTail(-1, 1)).toThrow(RangeError);
  });
});

describe('goodnessOfFit', () => {
  it('matches scipy.stats.chisquare', () => {
    const even = goodnessOfFit([55, 45], [1, 1]);
    expectRelativelyClose(even.statistic, 1);
    expectRelativelyClose(even.p, 0.31731050786291115);
    expect(even.degreesOfFreedom).toBe(1);

    const weighted = goodnessOfFit([48, 35, 17], [50, 30, 20]);
    expectRelativelyClose(weighted.statistic, 1.3633333333333333);
    expectRelativelyClose(weighted.p, 0.5057733339556132);
    expect(weighted.degreesOfFreedom).toBe(2);
  });

  it('refuses mismatched categories and zero expected counts', () => {
    expect(() => goodnessOfFit([1, 2, 3], [1, 1])).toThrow(RangeError);
    expect(() => goodnessOfFit([1, 2], [1, 0])).toThrow(RangeError);
  });
});

describe('proportion', () => {
  it('is the 1-df goodness-of-fit test of successes against failures (scipy.stats.chisquare)', () => {
    const result = proportion(5_060, 100_000, 0.05);
    expectRelativelyClose(result.statistic, 0.7578947368421053);
    expectRelativelyClose(result.p, 0.38398816339805664);
  });

  it('refuses shares outside (0, 1)', () => {
    expect(() => proportion(1, 10, 0)).toThrow(RangeError);
    expect(() => proportion(1, 10, 1)).toThrow(RangeError);
  });
});

describe('independence', () => {
  it('matches scipy.stats.chi2_contingency without continuity correction', () => {
    const twoByTwo = independence([
      [30, 20],
      [10, 40],
    ]);
    expectRelativelyClose(twoByTwo.statistic, 16.666666666666668);
    expectRelativelyClose(twoByTwo.p, 4.455709060405612e-5);
    expect(twoByTwo.degreesOfFreedom).toBe(1);

    const threeByThree = independence([
      [12, 7, 9],
      [8, 15, 6],
      [10, 9, 24],
    ]);
    expectRelativelyClose(threeByThree.statistic, 13.948260653643896);
    expectRelativelyClose(threeByThree.p, 0.007462030371576875);
    expect(threeByThree.degreesOfFreedom).toBe(4);
  });

  it('refuses ragged tables and empty rows', () => {
    expect(() => independence([[1, 2], [3]])).toThrow(RangeError);
    expect(() => independence([[1, 2]])).toThrow(RangeError);
    expect(() => independence([[0, 0], [1, 2]])).toThrow(RangeError);
  });
});
