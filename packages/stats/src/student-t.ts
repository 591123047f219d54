// Student's t distribution through the regularized incomplete beta function, and Welch's t-test
// for the difference of two means built on it.
import { regularizedIncompleteBetaOf } from './incomplete-beta.js';
import { interval, type Interval } from './lift.js';
import { normalCdf, normalQuantile, normalSurvival } from './normal.js';

/**
 * From here on the tail is the normal tail at z = √((df − ½)·ln(1 + t²/df)), the leading term of
 * the incomplete beta's expansion for a large first argument: within 1e-9 relative wherever
 * P > 1e-300 (its error falls as t⁴/df²; checked against mpmath). The continued fraction would
 * need √df steps there and lose digits to rounding.
 */
const HUGE_DF = 1e7;

/**
 * P(T > t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole), accurate
 * in relative terms in the far tail.
 *
 * @example
 * ```ts
 * studentTSurvival(2.0, 10); // 0.03669...
 * ```
 */
export function studentTSurvival(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  if (df >= HUGE_DF) {
    const z = Math.sqrt((df - 0.5) * Math.log1p(t2 / df));
    return t > 0 ? normalSurvival(z) : normalCdf(z);
  }
  // P(|T| > |t|) = I_x(df/2, 1/2) with x = df/(df + t²) and 1 − x = t²/(df + t²), both passed
  // exactly: x is near 1 whenever t² ≪ df, which is where 1 − I_{1−x}(1/2, df/2) used to cancel to 0.
  const tail = regularizedIncompleteBetaOf(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
  return t > 0 ? tail / 2 : 1 - tail / 2;
}

/**
 * The t with P(T > t) = p: Student's t quantile of 1 − p, for 0 < p < 1, by bisection on
 * {@link studentTSurvival} (to about 1e-12 relative).
 *
 * @example
 * ```ts
 * studentTUpperQuantile(0.025, 10); // 2.228138...
 * ```
 */
export function studentTUpperQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p > 0.5) return -studentTUpperQuantile(1 - p, df);
  if (p === 0.5) return 0;
  // The t quantile lies beyond the normal one; widen until the bracket holds it.
  let low = 0;
  let high = Math.max(1, -normalQuantile(p));
  while (studentTSurvival(high, df) > p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-13 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTSurvival(mid, df) > p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * A sample's summary, as Welch's test needs it.
 *
 * @example
 * ```ts
 * const control: SampleMoments = { count: 400, mean: 10, sd: 4 };
 * ```
 */
export interface SampleMoments {
  readonly count: number;
  readonly mean: number;
  /** The sample standard deviation (n − 1 in the denominator). */
  readonly sd: number;
}

/**
 * Welch's unequal-variances t-test of treatment's mean against control's.
 *
 * @example
 * ```ts
 * const { difference, df, pValue } = welchTTest(control, treatment)!;
 * ```
 */
export interface WelchTest {
  /** mean_T − mean_C with its standard error and two-sided interval (t quantile at the Welch df). */
  readonly difference: Interval;
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided. */
  readonly pValue: number;
}

/**
 * Welch's t-test: t = (x̄_T − x̄_C) / √(s_T²/n_T + s_C²/n_C), degrees of freedom by
 * Welch–Satterthwaite, two-sided p-value and interval for the difference. `undefined` when an arm
 * has fewer than 2 values or both have no spread (no test exists).
 *
 * @param confidence - two-sided level of the interval, e.g. 0.95
 * @example
 * ```ts
 * welchTTest({ count: 400, mean: 10, sd: 4 }, { count: 380, mean: 10.8, sd: 5 });
 * // { t: 2.45962, df: 725.292, pValue: 0.0141406, difference: { estimate: 0.8, ... } }
 * ```
 */
export function welchTTest(control: SampleMoments, treatment: SampleMoments, confidence = 0.95): WelchTest | undefined {
  if (control.count < 2 || treatment.count < 2) return undefined;
  const vc = (control.sd * control.sd) / control.count;
  const vt = (treatment.sd * treatment.sd) / treatment.count;
  const variance = vc + vt;
  if (!(variance > 0)) return undefined;
  const standardError = Math.sqrt(variance);
  const estimate = treatment.mean - control.mean;
  const t = estimate / standardError;
  const df = (variance * variance) / ((vc * vc) / (control.count - 1) + (vt * vt) / (treatment.count - 1));
  const pValue = Math.min(1, 2 * studentTSurvival(Math.abs(t), df));
  const q = studentTUpperQuantile((1 - confidence) / 2, df);
  return { difference: interval(estimate, standardError, q), t, df, pValue };
}
