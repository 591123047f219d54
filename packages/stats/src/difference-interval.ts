import { twoSidedQuantile } from './normal.js';
import { wilsonIntervalAt } from './wilson.js';

/**
 * Newcombe's hybrid score interval for the difference of two proportions p_T − p_C (his method
 * 10, Statistics in Medicine 1998): each arm's Wilson interval, combined as
 * L = d − √((p̂_T − l_T)² + (u_C − p̂_C)²), U = d + √((u_T − p̂_T)² + (p̂_C − l_C)²), with d = p̂_T − p̂_C.
 * It has width when an arm has no events or only events (where the Wald interval collapses to a
 * point) and stays within [−1, 1].
 *
 * @param confidence - two-sided level, e.g. 0.95
 * @example
 * ```ts
 * newcombeDifferenceInterval(48, 80, 56, 70); // { estimate: 0.2, low: 0.0524, high: 0.3339 } (Newcombe's example a)
 * ```
 */
export function newcombeDifferenceInterval(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  confidence = 0.95,
): { estimate: number; low: number; high: number } {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence is ${confidence}, must be between 0 and 1`);
  return newcombeDifferenceIntervalAt(controlConversions, controlUnits, treatmentConversions, treatmentUnits, twoSidedQuantile(confidence));
}

/** {@link newcombeDifferenceInterval} with each arm's Wilson interval at the critical value z. */
export function newcombeDifferenceIntervalAt(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  z: number,
): { estimate: number; low: number; high: number } {
  const pC = controlConversions / controlUnits;
  const pT = treatmentConversions / treatmentUnits;
  const control = wilsonIntervalAt(controlConversions, controlUnits, z);
  const treatment = wilsonIntervalAt(treatmentConversions, treatmentUnits, z);
  const estimate = pT - pC;
  return {
    estimate,
    low: estimate - Math.hypot(pT - treatment.low, control.high - pC),
    high: estimate + Math.hypot(treatment.high - pT, pC - control.low),
  };
}
