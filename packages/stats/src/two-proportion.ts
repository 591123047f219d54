import { normalSurvival } from './normal.js';

/**
 * What {@link twoProportionZTest} returns.
 *
 * @example
 * ```ts
 * const { z, pValue } = twoProportionZTest(1000, 10_000, 1100, 10_000); // 2.30663, 0.0210752
 * ```
 */
export interface TwoProportionTest {
  /** (p̂_T − p̂_C) / SE with the pooled SE. */
  readonly z: number;
  /** Two-sided p-value, 2·(1 − Φ(|z|)). */
  readonly pValue: number;
}

/**
 * The two-proportion z-test with the pooled standard error, two-sided.
 *
 * With no conversions (or only conversions) in both arms the pooled standard error is 0 and
 * there is no test: `undefined`, not a z of 0 and a p-value of 1 that would read as a finding.
 *
 * @param controlConversions - x_C, units that converted in control
 * @param controlUnits - n_C, must be > 0
 * @param treatmentConversions - x_T
 * @param treatmentUnits - n_T, must be > 0
 * @example
 * ```ts
 * twoProportionZTest(1000, 10_000, 1100, 10_000); // { z: 2.30663, pValue: 0.0210752 }
 * ```
 */
export function twoProportionZTest(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
): TwoProportionTest | undefined {
  checkCounts('control', controlConversions, controlUnits);
  checkCounts('treatment', treatmentConversions, treatmentUnits);
  const pC = controlConversions / controlUnits;
  const pT = treatmentConversions / treatmentUnits;
  const pooled = (controlConversions + treatmentConversions) / (controlUnits + treatmentUnits);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / controlUnits + 1 / treatmentUnits));
  if (se === 0) return undefined;
  const z = (pT - pC) / se;
  return { z, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))) };
}

/** Conversions are whole numbers from 0 to the units, and units are at least 1. */
export function checkCounts(arm: string, conversions: number, units: number): void {
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`${arm} units is ${units}, must be a whole number >= 1`);
  if (!Number.isInteger(conversions) || conversions < 0 || conversions > units) {
    throw new RangeError(`${arm} conversions is ${conversions}, must be a whole number from 0 to ${units} (the units)`);
  }
}
