import { normalQuantile } from './normal.js';
import { checkCounts } from './two-proportion.js';

/**
 * An estimate with its interval.
 *
 * @example
 * ```ts
 * const { estimate, low, high } = conversionLift(1000, 10_000, 1100, 10_000).absolute; // 0.01 [0.0015, 0.0185]
 * ```
 */
export interface Interval {
  readonly estimate: number;
  readonly standardError: number;
  /** Lower end of the two-sided interval. */
  readonly low: number;
  /** Upper end of the two-sided interval. */
  readonly high: number;
}

/**
 * Both lifts of a treatment over control.
 *
 * @example
 * ```ts
 * const { absolute, relative } = conversionLift(1000, 10_000, 1100, 10_000);
 * ```
 */
export interface Lift {
  /** p̂_T − p̂_C with the unpooled standard error. */
  readonly absolute: Interval;
  /** p̂_T / p̂_C − 1 by the delta method; `undefined` when control's rate is 0 (the ratio does not exist). */
  readonly relative: Interval | undefined;
}

/** The interval estimate ± z·standardError (z a normal or t quantile). */
export const interval = (estimate: number, standardError: number, z: number): Interval => ({
  estimate,
  standardError,
  low: estimate - z * standardError,
  high: estimate + z * standardError,
});

/**
 * Absolute and relative lift of a treatment's conversion rate over control's, with two-sided
 * confidence intervals (default 95%).
 *
 * - absolute: (p̂_T − p̂_C) ± z·√(p̂_C(1−p̂_C)/n_C + p̂_T(1−p̂_T)/n_T)
 * - relative: r = p̂_T/p̂_C − 1, Var(r) ≈ V_T/p̂_C² + p̂_T²·V_C/p̂_C⁴ with V = p̂(1−p̂)/n (delta method)
 *
 * @param confidence - two-sided level, e.g. 0.95
 * @example
 * ```ts
 * const { absolute, relative } = conversionLift(1000, 10_000, 1100, 10_000);
 * // absolute: 0.0100 [0.00150, 0.01850]; relative: 0.1000 [0.01087, 0.18913]
 * ```
 */
export function conversionLift(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  confidence = 0.95,
): Lift {
  checkCounts('control', controlConversions, controlUnits);
  checkCounts('treatment', treatmentConversions, treatmentUnits);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence is ${confidence}, must be between 0 and 1`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const pC = controlConversions / controlUnits;
  const pT = treatmentConversions / treatmentUnits;
  const vC = (pC * (1 - pC)) / controlUnits;
  const vT = (pT * (1 - pT)) / treatmentUnits;
  const absolute = interval(pT - pC, Math.sqrt(vC + vT), z);
  if (pC === 0) return { absolute, relative: undefined };
  const relativeSe = Math.sqrt(vT / (pC * pC) + (pT * pT * vC) / (pC * pC * pC * pC));
  return { absolute, relative: interval(pT / pC - 1, relativeSe, z) };
}

/**
 * The one-sided bounds of an estimate at level α: the lower bound is the value the estimate is
 * above with confidence 1 − α (the non-inferiority bound), the upper bound likewise below.
 *
 * @example
 * ```ts
 * oneSidedBounds({ estimate: 0.1, standardError: 0.045475 }, 0.05); // { lower: 0.02520, upper: 0.17480 }
 * ```
 */
export function oneSidedBounds(estimate: Pick<Interval, 'estimate' | 'standardError'>, alpha: number): { lower: number; upper: number } {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha is ${alpha}, must be between 0 and 1`);
  const z = normalQuantile(1 - alpha);
  return { lower: estimate.estimate - z * estimate.standardError, upper: estimate.estimate + z * estimate.standardError };
}
