// Student's t distribution through the regularized incomplete beta function, and Welch's t-test
// for the difference of two means built on it.
import { logGamma } from './chi-square.js';
import { interval, type Interval } from './lift.js';
import { normalQuantile } from './normal.js';

/** I_x(a, b)'s continued fraction (modified Lentz); converges fast for x < (a + 1)/(a + b + 2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let f = d;
  for (let m = 1; m <= 10_000; m++) {
    // The even step, then the odd step, of the fraction's terms.
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + even / c;
    if (Math.abs(c) < tiny) c = tiny;
    f *= c * d;
    const odd = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + odd / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return f;
}

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
 *
 * @example
 * ```ts
 * regularizedIncompleteBeta(0.5, 2, 3); // 0.6875
 * ```
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (x === 0 || x === 1) return x;
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) + logGamma(a + b) - logGamma(a) - logGamma(b));
  // The fraction converges for x below the mean-ish point; above it, use I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

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
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); for small t² use the complement's argument directly.
  const t2 = t * t;
  const tail = t2 < df ? 1 - regularizedIncompleteBeta(t2 / (df + t2), 0.5, df / 2) : regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5);
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
