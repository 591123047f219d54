// The delta method for ratios (Deng, Knoblich, Lu, "Applying the delta method in metric
// analytics", KDD 2018): the relative lift of two means, and a ratio of two per-unit sums with
// the units as the independent observations.
import { interval, type Interval } from './lift.js';
import type { SampleMoments } from './student-t.js';

/**
 * The relative lift μ_T/μ_C − 1 of two means with its delta-method standard error,
 * Var ≈ v_T/μ_C² + μ_T²·v_C/μ_C⁴ (v = s²/n), and the interval estimate ± z·SE. `undefined` when
 * control's mean is 0 or an arm has fewer than 2 values.
 *
 * @example
 * ```ts
 * meanRelativeLift({ count: 400, mean: 10, sd: 4 }, { count: 380, mean: 10.8, sd: 5 }, 1.96);
 * // { estimate: 0.08, standardError: 0.0332, low: 0.0149, high: 0.1451 }
 * ```
 */
export function meanRelativeLift(control: SampleMoments, treatment: SampleMoments, z: number): Interval | undefined {
  if (control.count < 2 || treatment.count < 2 || control.mean === 0) return undefined;
  return relativeChange(control.mean, (control.sd * control.sd) / control.count, treatment.mean, (treatment.sd * treatment.sd) / treatment.count, z);
}

/**
 * T/C − 1 for independent estimates C ≠ 0 and T with variances v_C and v_T, by the delta method:
 * Var ≈ v_T/C² + T²·v_C/C⁴ (fine at T = 0), and the interval estimate ± z·SE.
 */
function relativeChange(c: number, vC: number, t: number, vT: number, z: number): Interval {
  return interval(t / c - 1, Math.sqrt(vT / (c * c) + (t * t * vC) / (c * c * c * c)), z);
}

/**
 * Per-unit sums X (numerator) and Y (denominator) of one variant's units, as the ratio metric
 * needs them: the count of units, both means, both sample variances and their covariance.
 *
 * @example
 * ```ts
 * const hits: RatioMoments = { count: 1000, sumX: 3100, sumY: 10200, meanX: 3.1, meanY: 10.2, varX: 4.5, varY: 30.1, covXY: 10.3 };
 * ```
 */
export interface RatioMoments {
  readonly count: number;
  /** Σ X and Σ Y, summed as they are (meanX·count would carry rounding). */
  readonly sumX: number;
  readonly sumY: number;
  readonly meanX: number;
  readonly meanY: number;
  readonly varX: number;
  readonly varY: number;
  readonly covXY: number;
}

/**
 * The ratio R = X̄/Ȳ of one variant (Σ numerators / Σ denominators over its units) and its
 * delta-method standard error, √((σ_X²/μ_Y² − 2μ_X·σ_XY/μ_Y³ + μ_X²·σ_Y²/μ_Y⁴)/n). `undefined`
 * without units or with a denominator of 0.
 *
 * @example
 * ```ts
 * ratioOfMeans({ count: 1000, sumX: 3100, sumY: 10200, meanX: 3.1, meanY: 10.2, varX: 4.5, varY: 30.1, covXY: 10.3 }); // { ratio: 0.3039, standardError: 0.0067 }
 * ```
 */
export function ratioOfMeans(m: RatioMoments): { ratio: number; standardError: number } | undefined {
  if (m.count < 2 || m.meanY === 0) return undefined;
  const { meanX: x, meanY: y } = m;
  const variance = (m.varX / (y * y) - (2 * x * m.covXY) / (y * y * y) + (x * x * m.varY) / (y * y * y * y)) / m.count;
  return { ratio: x / y, standardError: Math.sqrt(Math.max(0, variance)) };
}

/**
 * A treatment's ratio against control's: the difference R_T − R_C and the relative lift
 * R_T/R_C − 1, each with its delta-method standard error and interval estimate ± z·SE (the arms
 * are independent: the variances add). `undefined` when either ratio does not exist; the
 * relative lift is `undefined` when control's ratio is 0.
 *
 * @example
 * ```ts
 * const { difference, relative } = ratioComparison(control, treatment, 1.96)!;
 * ```
 */
export function ratioComparison(control: RatioMoments, treatment: RatioMoments, z: number): { difference: Interval; relative: Interval | undefined } | undefined {
  const c = ratioOfMeans(control);
  const t = ratioOfMeans(treatment);
  if (c === undefined || t === undefined) return undefined;
  const difference = interval(t.ratio - c.ratio, Math.hypot(c.standardError, t.standardError), z);
  if (c.ratio === 0) return { difference, relative: undefined };
  return { difference, relative: relativeChange(c.ratio, c.standardError ** 2, t.ratio, t.standardError ** 2, z) };
}
