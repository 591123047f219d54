import { newcombeDifferenceInterval } from './difference-interval.js';
import { koopmanRatioInterval } from './ratio-interval.js';
import { checkCounts } from './two-proportion.js';

/**
 * An estimate with its interval.
 *
 * @example
 * ```ts
 * const { estimate, low, high } = welchTTest(control, treatment)!.difference;
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
 * A lift with its two-sided interval (score intervals: they have no standard error to report).
 *
 * @example
 * ```ts
 * const { estimate, low, high } = conversionLift(1000, 10_000, 1100, 10_000).absolute; // 0.01 [0.00150, 0.01850]
 * ```
 */
export interface LiftInterval {
  readonly estimate: number;
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
  /** p̂_T − p̂_C with Newcombe's hybrid score interval. */
  readonly absolute: LiftInterval;
  /** p̂_T / p̂_C − 1 with Koopman's score interval; `undefined` when control has no conversions (the ratio does not exist). */
  readonly relative: LiftInterval | undefined;
}

/** A ratio θ with its interval as the relative lift θ − 1 (each end minus 1); `undefined` without a ratio. */
export const relativeLiftOf = (ratio: LiftInterval | undefined): LiftInterval | undefined =>
  ratio === undefined ? undefined : { estimate: ratio.estimate - 1, low: ratio.low - 1, high: ratio.high - 1 };

/** The interval estimate ± z·standardError (z a normal or t quantile). */
export const interval = (estimate: number, standardError: number, z: number): Interval => ({
  estimate,
  standardError,
  low: estimate - z * standardError,
  high: estimate + z * standardError,
});

/**
 * Absolute and relative lift of a treatment's conversion rate over control's, with two-sided
 * confidence intervals (default 95%) that keep their width at 0% and 100%:
 *
 * - absolute: p̂_T − p̂_C with Newcombe's hybrid score interval, built from each arm's Wilson interval
 * - relative: p̂_T/p̂_C − 1 with Koopman's score interval for the ratio; none when control has no
 *   conversions, and a lower end of −100% when the treatment has none
 *
 * @param confidence - two-sided level, e.g. 0.95
 * @example
 * ```ts
 * const { absolute, relative } = conversionLift(1000, 10_000, 1100, 10_000);
 * // absolute: 0.0100 [0.00150, 0.01850]; relative: 0.1000 [0.01442, 0.19283]
 * conversionLift(3, 3, 3, 3).relative; // { estimate: 0, low: -0.5615, high: 1.2805 }, not [0, 0]
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
  const absolute = newcombeDifferenceInterval(controlConversions, controlUnits, treatmentConversions, treatmentUnits, confidence);
  return { absolute, relative: relativeLiftOf(koopmanRatioInterval(controlConversions, controlUnits, treatmentConversions, treatmentUnits, confidence)) };
}

/**
 * The one-sided bounds of the relative lift at level α: the lower bound is the lift the treatment
 * is above with confidence 1 − α (the non-inferiority bound), the upper bound likewise below. They
 * are the ends of the two-sided score interval at 1 − 2α. `undefined` when control has no
 * conversions: there is no relative lift to bound, and so nothing to decide on.
 *
 * @example
 * ```ts
 * relativeLiftBounds(1000, 10_000, 1100, 10_000, 0.05); // { lower: 0.02771, upper: 0.17740 }
 * ```
 */
export function relativeLiftBounds(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  alpha: number,
): { lower: number; upper: number } | undefined {
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`alpha is ${alpha}, must be between 0 and 0.5`);
  const relative = conversionLift(controlConversions, controlUnits, treatmentConversions, treatmentUnits, 1 - 2 * alpha).relative;
  return relative === undefined ? undefined : { lower: relative.low, upper: relative.high };
}
