// Always-valid inference for a difference (Johari, Koomen, Pekelis, Walsh, "Peeking at A/B tests:
// why it matters, and what to do about it", KDD 2017; "Always valid inference", Operations
// Research 2022; Optimizely's Stats Engine): the mixture sequential probability ratio test
// (mSPRT) with a normal mixing distribution. For an estimate Δ̂ of a difference θ with variance V,
// and the mixing distribution θ ~ N(θ₀, τ²),
//
//   Λ = ∫ φ(Δ̂; θ, V) φ(θ; θ₀, τ²) dθ / φ(Δ̂; θ₀, V) = √(V/(V + τ²)) · exp(τ²(Δ̂ − θ₀)² / (2V(V + τ²))).
//
// Under θ = θ₀, Λ is a nonnegative martingale in the data, so by Ville's inequality
// P(Λ ever ≥ 1/α) ≤ α: the p-value min(1, 1/Λ) and the set of θ₀ with Λ < 1/α (a confidence
// sequence) stay valid however often, and whenever, one looks.
//
// τ² is set on the data's scale, τ² = ρ²·V·N for N units in the two arms (V·N is the variance of
// one unit's contribution, about constant as units arrive), with
// ρ² = (−2 ln α + ln(1 − 2 ln α)) / n*, which makes the sequence narrowest near N = n* units
// (Howard, Ramdas, McAuliffe, Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence
// sequences", Ann. Statist. 2021, §3.5; GrowthBook's "tuning parameter"). Written with
// z² = (Δ̂ − θ₀)²/V and s = Nρ²,
//
//   ln Λ = −½ ln(1 + s) + (s / (1 + s)) · z²/2,
//
// so Λ ≥ 1/α exactly when |z| ≥ √(2 (1 + s)/s · (ln(1/α) + ½ ln(1 + s))): the confidence sequence
// is the fixed-horizon interval with that critical value in place of z_{1−α/2}. For rates the
// analysis runs its score intervals (Newcombe's, Koopman's) at that critical value, so the
// sequence keeps its width at 0% and 100% as the fixed-horizon intervals do.

import { newcombeDifferenceIntervalAt } from './difference-interval.js';
import { relativeLiftOf, type Interval, type LiftInterval } from './lift.js';
import { koopmanRatioIntervalAt } from './ratio-interval.js';
import { twoProportionZTest } from './two-proportion.js';

/**
 * The number of units (both arms together) near which the confidence sequence is narrowest, when
 * none is given: 10,000 (5,000 per arm at 50/50, GrowthBook's default).
 *
 * @example
 * ```ts
 * mixtureSpread(0.05, DEFAULT_SEQUENTIAL_HORIZON); // ρ² = 7.9362e-4
 * ```
 */
export const DEFAULT_SEQUENTIAL_HORIZON = 10_000;

/**
 * ρ² = (−2 ln α + ln(1 − 2 ln α)) / n*: the mixing variance per unit of variance and per unit,
 * tuned so that the sequence at level α is narrowest near `horizon` units.
 *
 * @example
 * ```ts
 * mixtureSpread(0.05, 10_000); // 7.9362e-4
 * ```
 */
export function mixtureSpread(alpha: number, horizon: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha is ${alpha}, must be between 0 and 1`);
  if (!(horizon > 0 && Number.isFinite(horizon))) throw new RangeError(`horizon is ${horizon}, must be a number of units > 0`);
  const twoLogInverse = -2 * Math.log(alpha);
  return (twoLogInverse + Math.log1p(twoLogInverse)) / horizon;
}

/**
 * ln Λ of the mSPRT for a z statistic (Δ̂ − θ₀)/√V after `units` units, mixing spread ρ² (see
 * {@link mixtureSpread}).
 *
 * @example
 * ```ts
 * logMixtureLikelihoodRatio(2.30694, 20_000, mixtureSpread(0.05, 10_000)); // 1.0904 = ln 2.9756
 * ```
 */
export function logMixtureLikelihoodRatio(z: number, units: number, spread: number): number {
  const s = units * spread;
  return -0.5 * Math.log1p(s) + ((s / (1 + s)) * z * z) / 2;
}

/**
 * The always-valid p-value of one look, min(1, 1/Λ): below α at some look with probability at
 * most α under the null, however many looks are taken. (The running minimum over earlier looks
 * is valid too; one analysis sees one look.)
 *
 * @example
 * ```ts
 * alwaysValidPValue(2.30663, 20_000, mixtureSpread(0.05, 10_000)); // 0.3363 (fixed-horizon p: 0.0211)
 * ```
 */
export function alwaysValidPValue(z: number, units: number, spread: number): number {
  return Math.min(1, Math.exp(-logMixtureLikelihoodRatio(z, units, spread)));
}

/**
 * The |z| at which Λ reaches 1/α after `units` units: the critical value of the confidence
 * sequence at level 1 − α, √(2 (1 + s)/s · (ln(1/α) + ½ ln(1 + s))) with s = units·ρ². Always
 * above the fixed-horizon z_{1−α/2}.
 *
 * @example
 * ```ts
 * alwaysValidCritical(20_000, 0.05, mixtureSpread(0.05, 10_000)); // 3.0615, against 1.96
 * ```
 */
export function alwaysValidCritical(units: number, alpha: number, spread: number): number {
  const s = units * spread;
  return Math.sqrt((2 * (1 + s) * (-Math.log(alpha) + 0.5 * Math.log1p(s))) / s);
}

/**
 * A difference at one look, the mSPRT's way: its always-valid p-value against no difference and
 * its confidence sequence.
 *
 * @example
 * ```ts
 * const { pValue, difference } = alwaysValidRates(1000, 10_000, 1100, 10_000, 0.05, mixtureSpread(0.05, 10_000));
 * ```
 */
export interface AlwaysValidDifference {
  /** min(1, 1/Λ) at θ₀ = 0; `null` when there is no test (no spread under the null). */
  readonly pValue: number | null;
  /** The estimate and the confidence sequence at level 1 − α, at this look. */
  readonly difference: LiftInterval;
}

/**
 * Two conversion rates at one look: the p-value from the pooled z (the two-proportion z-test's,
 * `null` where that does not exist), and the confidence sequences of p_T − p_C (Newcombe's hybrid
 * score interval) and of p_T/p_C − 1 (Koopman's score interval; `null` without control
 * conversions), each at the sequence's critical value.
 *
 * @example
 * ```ts
 * alwaysValidRates(1000, 10_000, 1100, 10_000, 0.05, mixtureSpread(0.05, 10_000));
 * // { pValue: 0.3363, difference: { estimate: 0.01, low: -0.00328, high: 0.02329 }, relative: { estimate: 0.1, low: -0.0307, high: 0.2483 } }
 * ```
 */
export function alwaysValidRates(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  alpha: number,
  spread: number,
): AlwaysValidDifference & { readonly relative: LiftInterval | null } {
  const units = controlUnits + treatmentUnits;
  const test = twoProportionZTest(controlConversions, controlUnits, treatmentConversions, treatmentUnits);
  const z = alwaysValidCritical(units, alpha, spread);
  return {
    pValue: test === undefined ? null : alwaysValidPValue(test.z, units, spread),
    difference: newcombeDifferenceIntervalAt(controlConversions, controlUnits, treatmentConversions, treatmentUnits, z),
    relative: relativeLiftOf(koopmanRatioIntervalAt(controlConversions, controlUnits, treatmentConversions, treatmentUnits, z)) ?? null,
  };
}

/**
 * Estimates with standard errors at one look (Welch's difference of two means, a delta-method
 * difference or relative lift): the always-valid p-value of the difference against none, from
 * z = Δ̂/SE, and the confidence sequence of each, estimate ± critical·SE. The standard error must
 * be above 0 (where it is 0 there is no test).
 *
 * @example
 * ```ts
 * alwaysValidEstimates(welchTTest(control, treatment)!.difference, undefined, 780, 0.05, mixtureSpread(0.05, 10_000));
 * // { pValue: 0.4003, difference: { estimate: 0.8, low: -0.538, high: 2.138 }, relative: null }
 * ```
 */
export function alwaysValidEstimates(
  difference: Interval,
  relative: Interval | undefined,
  units: number,
  alpha: number,
  spread: number,
): { readonly pValue: number; readonly difference: LiftInterval; readonly relative: LiftInterval | null } {
  const critical = alwaysValidCritical(units, alpha, spread);
  const sequence = ({ estimate, standardError }: Interval): LiftInterval => ({ estimate, low: estimate - critical * standardError, high: estimate + critical * standardError });
  return {
    pValue: alwaysValidPValue(difference.estimate / difference.standardError, units, spread),
    difference: sequence(difference),
    relative: relative === undefined ? null : sequence(relative),
  };
}
