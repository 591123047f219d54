import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cupedAdjustment } from './cuped.js';
import type { RatioMoments } from './delta-method.js';
import { welchMismatches, type WelchReference } from '../../../test-support/welch-reference.js';
import { closeTo } from './reference.test-helper.js';
import { welchTTest } from './student-t.js';

interface CupedCase {
  name: string;
  control: RatioMoments;
  treatment: RatioMoments;
  theta: number;
  covariateMean: number;
  adjustedMeans: [number, number];
  adjustedSds: [number, number];
  varianceReduction: number;
  adjusted: WelchReference;
  unadjusted: WelchReference;
}

// Written by fixtures/make_cuped_reference.py: the regression adjustment done on NumPy arrays, Welch's test by SciPy.
const reference = JSON.parse(readFileSync(new URL('../fixtures/cuped_reference.json', import.meta.url), 'utf8')) as { confidence: number; cases: CupedCase[] };

const near = (actual: number, expected: number) => closeTo(actual, expected, 1e-6, 1e-12);

describe('CUPED', () => {
  it.each(reference.cases)('$name: θ, the adjusted means and the variance reduction match NumPy', (c) => {
    const adjustment = cupedAdjustment(c.control, c.treatment)!;
    const got = [adjustment.theta, adjustment.covariateMean, adjustment.control.mean, adjustment.treatment.mean, adjustment.control.sd, adjustment.treatment.sd, adjustment.varianceReduction];
    const want = [c.theta, c.covariateMean, ...c.adjustedMeans, ...c.adjustedSds, c.varianceReduction];
    expect(got.map((x, i) => near(x, want[i]!)), `${got} vs ${want}`).toEqual(want.map(() => true));
  });

  it.each(reference.cases)("$name: Welch's test of the adjusted means matches scipy.stats.ttest_ind on the adjusted arrays", (c) => {
    const adjustment = cupedAdjustment(c.control, c.treatment)!;
    const test = welchTTest(adjustment.control, adjustment.treatment, reference.confidence)!;
    expect(welchMismatches(test, c.adjusted, near)).toEqual([]);
  });

  it('shrinks the standard error where the covariate predicts the outcome, and not where it does not', () => {
    const [strong, , , unrelated] = reference.cases;
    expect(strong!.adjusted.standardError).toBeLessThan(0.8 * strong!.unadjusted.standardError);
    expect(cupedAdjustment(strong!.control, strong!.treatment)!.varianceReduction).toBeGreaterThan(0.3);
    expect(Math.abs(cupedAdjustment(unrelated!.control, unrelated!.treatment)!.varianceReduction)).toBeLessThan(0.02);
  });

  it('gives no adjustment without a covariate that varies, or with under 2 units in an arm', () => {
    const flat: RatioMoments = { count: 10, sumX: 0, sumY: 5, meanX: 0, meanY: 0.5, varX: 0, varY: 0.27, covXY: 0 };
    expect(cupedAdjustment(flat, flat)).toBeUndefined();
    const one: RatioMoments = { ...flat, count: 1, varX: NaN, varY: NaN, covXY: NaN };
    expect(cupedAdjustment(one, { ...flat, varX: 1, sumX: 3, meanX: 0.3 })).toBeUndefined();
  });
});
