import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binomialTest } from './binomial-test.js';
import { closeTo } from './reference.test-helper.js';

// Written by fixtures/make_binomial_test_reference.py: scipy.stats.binomtest's two-sided p-values.
const reference = JSON.parse(readFileSync(new URL('../fixtures/binomial_test_reference.json', import.meta.url), 'utf8')) as {
  cases: { k: number; n: number; p: number; pValue: number }[];
};

describe('binomialTest', () => {
  it.each(reference.cases)('matches scipy.stats.binomtest for k=$k of n=$n at p=$p', ({ k, n, p, pValue }) => {
    const actual = binomialTest(k, n, p);
    expect(closeTo(actual, pValue, 1e-9, 1e-300), `${actual} vs ${pValue}`).toBe(true);
  });

  it('is the sign test by default, symmetric in its two tails', () => {
    expect(binomialTest(60, 100)).toBe(binomialTest(40, 100));
    expect(binomialTest(60, 100)).toBe(binomialTest(60, 100, 0.5));
  });

  it('refuses counts and probabilities outside their ranges, naming the argument', () => {
    expect(() => binomialTest(3, 0)).toThrow(/n is 0, must be a whole number of trials/);
    expect(() => binomialTest(11, 10)).toThrow(/k is 11, must be a whole number of successes from 0 to n \(10\)/);
    expect(() => binomialTest(1.5, 10)).toThrow(/k is 1.5/);
    expect(() => binomialTest(1, 10, 1.2)).toThrow(/p is 1.2, must be a probability from 0 to 1/);
  });
});
