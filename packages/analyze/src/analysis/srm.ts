import type { SrmPolicy } from '../policy/policy.js';
import { chiSquareGoodnessOfFit } from '../stats/chi-square.js';

/** The sample ratio mismatch check. */
export interface SampleRatioCheck {
  /** Pearson's χ² on distinct units; `null` in JSON when infinite (units in a variant expected to get none). */
  readonly chiSquare: number;
  readonly df: number;
  readonly pValue: number;
  /** `fail` below the policy's failBelow, `warn` below warnBelow, else `ok`. */
  readonly status: 'ok' | 'warn' | 'fail';
  /** Distinct units expected per variant from the weights. */
  readonly expectedUnits: readonly number[];
}

/**
 * Sample ratio mismatch: a chi-square goodness-of-fit test of the distinct units per variant
 * against the expected weights.
 *
 * @example
 * ```ts
 * checkSampleRatio([9050, 950], [90, 10], DEFAULT_SRM_POLICY); // { pValue: 0.0956, status: 'ok', ... }
 * ```
 */
export function checkSampleRatio(units: readonly number[], weights: readonly number[], policy: SrmPolicy): SampleRatioCheck {
  const fit = chiSquareGoodnessOfFit(units, weights);
  const status = fit.pValue < policy.failBelow ? 'fail' : fit.pValue < policy.warnBelow ? 'warn' : 'ok';
  return { chiSquare: fit.chiSquare, df: fit.df, pValue: fit.pValue, status, expectedUnits: fit.expected };
}
