import type { SrmPolicy } from '../policy/policy.js';
import { chiSquareGoodnessOfFit } from '@bucketry/stats';
import { DEFAULT_RATIO_CONCENTRATION, ratioLogBayesFactor, SequentialRatioTest } from '@bucketry/stats';
import { MAX_VARIANTS, type UnitTable } from './unit-table.js';

/**
 * The anytime-valid sample ratio test (see stats/sequential-ratio.ts).
 *
 * @example
 * ```ts
 * if (report.srm.sequential !== null && report.srm.sequential.pValue < 0.001) console.warn('sample ratio mismatch, whenever you looked');
 * ```
 */
export interface SequentialSampleRatio {
  /** min(1, 1/max BF) over the units in order of first exposure: valid however often one looks. */
  readonly pValue: number;
  /** ln of the Bayes factor of all the units; `null` in JSON when infinite (a unit in a variant weighted 0). */
  readonly logBayesFactor: number;
  /** The Dirichlet prior's concentration c (αᵢ = c·wᵢ). */
  readonly concentration: number;
}

/**
 * The sample ratio mismatch check.
 *
 * @example
 * ```ts
 * const { pValue, sequential, status } = report.srm; // chi-square p, anytime-valid p, verdict
 * ```
 */
export interface SampleRatioCheck {
  /**
   * Pearson's χ² on distinct units; `null` in JSON when infinite (units in a variant expected to
   * get none); `null` when the test does not apply.
   */
  readonly chiSquare: number | null;
  /** Degrees of freedom; `null` when the test does not apply. */
  readonly df: number | null;
  /** The chi-square test's p-value: valid for one look at the data. `null` when the test does not apply. */
  readonly pValue: number | null;
  /** The sequential test; `null` when the test does not apply. */
  readonly sequential: SequentialSampleRatio | null;
  /** Whose p-value the status judges (the policy's `test`). */
  readonly test: SrmPolicy['test'];
  /**
   * `fail` below the policy's failBelow, `warn` below warnBelow, else `ok`; `not-applicable` when
   * there is no split to check (one variant has all the weight, as at 100% rollout, or no units).
   */
  readonly status: 'ok' | 'warn' | 'fail' | 'not-applicable';
  /**
   * Why the test does not apply: `single-variant` (one variant has all the weight, so there is no
   * split to check), `no-units` (no units to count); `null` when it does.
   */
  readonly notApplicable: 'single-variant' | 'no-units' | null;
  /** Distinct units expected per variant from the weights. */
  readonly expectedUnits: readonly number[];
}

/**
 * Sample ratio mismatch: a chi-square goodness-of-fit test of the distinct units per variant
 * against the expected weights, and the anytime-valid sequential test. Without `sequential` (the
 * test run unit by unit, see {@link sequentialSampleRatio}), the sequential p-value is that of the
 * final counts alone, 1/BF: still valid, if less sensitive than the running one.
 *
 * @example
 * ```ts
 * checkSampleRatio([9050, 950], [90, 10], DEFAULT_SRM_POLICY); // { pValue: 0.0956, status: 'ok', sequential: { pValue: 1, ... }, ... }
 * ```
 */
export function checkSampleRatio(units: readonly number[], weights: readonly number[], policy: SrmPolicy, sequential?: SequentialSampleRatio): SampleRatioCheck {
  const fit = chiSquareGoodnessOfFit(units, weights);
  // A unit in a variant weighted 0 fails outright (χ² = ∞) even at 100% rollout; short of that, one
  // weighted variant or no units at all leave nothing to compare, and χ² = 0, p = 1 would read as a pass.
  const strays = units.some((n, i) => weights[i] === 0 && n > 0);
  const notApplicable = strays ? null : weights.filter((w) => w > 0).length < 2 ? 'single-variant' : units.every((n) => n === 0) ? 'no-units' : null;
  if (notApplicable !== null) {
    return { chiSquare: null, df: null, pValue: null, sequential: null, test: policy.test, status: 'not-applicable', notApplicable, expectedUnits: fit.expected };
  }
  const logBayesFactor = ratioLogBayesFactor(units, weights);
  const anytime = sequential ?? { pValue: Math.min(1, Math.exp(-logBayesFactor)), logBayesFactor, concentration: DEFAULT_RATIO_CONCENTRATION };
  const p = policy.test === 'sequential' ? anytime.pValue : fit.pValue;
  const status = p < policy.failBelow ? 'fail' : p < policy.warnBelow ? 'warn' : 'ok';
  return { chiSquare: fit.chiSquare, df: fit.df, pValue: fit.pValue, sequential: anytime, test: policy.test, status, notApplicable: null, expectedUnits: fit.expected };
}

/**
 * The sequential sample ratio test over the units exposed to exactly one variant (those the
 * chi-square counts), taken in order of first exposure (to the millisecond; ties by variant), as
 * if it had been run all along. The running p-value at the end covers every look anyone took.
 *
 * @example
 * ```ts
 * const sequential = sequentialSampleRatio(accumulator.units, [90, 10]);
 * checkSampleRatio(units, [90, 10], policy, sequential);
 * ```
 */
export function sequentialSampleRatio(table: UnitTable, weights: readonly number[], concentration = DEFAULT_RATIO_CONCENTRATION): SequentialSampleRatio {
  // One sortable number per unit: its first exposure in whole milliseconds, then its variant.
  const keys = new Float64Array(table.size);
  let count = 0;
  for (let row = 0; row < table.size; row++) {
    const variant = table.variantOf(row);
    if (variant >= 0) keys[count++] = Math.floor(table.firstExposure[row]!) * MAX_VARIANTS + variant;
  }
  const ordered = keys.subarray(0, count).sort();
  const test = new SequentialRatioTest(weights, concentration);
  for (let i = 0; i < count; i++) {
    const key = ordered[i]!;
    test.add(key - Math.floor(key / MAX_VARIANTS) * MAX_VARIANTS);
  }
  return { pValue: test.pValue, logBayesFactor: test.logBayesFactor, concentration };
}
