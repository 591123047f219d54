// Koopman's score interval for the ratio of two proportions (Biometrics 40:513-517, 1984): the
// ratios θ = p_T/p_C that the score test does not reject. The delta method's interval around
// p̂_T/p̂_C collapses to a point when the treatment has no events or both arms have only events;
// this one keeps its width there, and is 0 at its lower end when the treatment has no events.
import { twoSidedQuantile } from './normal.js';

/**
 * The score statistic for H0: p_T = θ·p_C, with both proportions at their maximum likelihood
 * under H0. That restricted estimate of p_C is the root in [0, min(1, 1/θ)] of
 * A·p² + B·p + C = 0 with A = Nθ, B = −(n_T·θ + x_T + n_C + x_C·θ), C = x_T + x_C (Miettinen and
 * Nurminen 1985), written as 2C / (−B + √(B² − 4AC)) so that nothing cancels.
 */
function scoreStatistic(xC: number, nC: number, xT: number, nT: number, theta: number): number {
  const a = (nC + nT) * theta;
  const b = -(nT * theta + xT + nC + xC * theta);
  const c = xT + xC;
  const pC = (2 * c) / (-b + Math.sqrt(Math.max(0, b * b - 4 * a * c)));
  const pT = Math.min(1, theta * pC);
  const variance = (pT * (1 - pT)) / nT + (theta * theta * Math.min(pC, 1) * Math.max(0, 1 - pC)) / nC;
  const difference = xT / nT - (theta * xC) / nC;
  if (variance === 0) return difference === 0 ? 0 : difference > 0 ? Infinity : -Infinity;
  return difference / Math.sqrt(variance);
}

/** The log θ in [low, high] where the statistic crosses `target`, by bisection (it falls as θ grows). */
function crossing(statistic: (logTheta: number) => number, target: number, low: number, high: number): number {
  for (let i = 0; i < 400; i++) {
    const mid = (low + high) / 2;
    if (mid === low || mid === high) break;
    if (statistic(mid) > target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The score interval for the ratio p_T/p_C of a treatment's conversion rate to control's, at a
 * two-sided `confidence`; `undefined` when control has no events (the ratio does not exist). With
 * no treatment events the estimate and the lower limit are 0.
 *
 * @param confidence - two-sided level, e.g. 0.95; each end is a one-sided bound at (1 + confidence)/2
 * @example
 * ```ts
 * koopmanRatioInterval(3, 3, 3, 3); // { estimate: 1, low: 0.4385, high: 2.2805 }
 * koopmanRatioInterval(1, 5, 0, 5); // { estimate: 0, low: 0, high: 3.2995 }
 * ```
 */
export function koopmanRatioInterval(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  confidence = 0.95,
): { estimate: number; low: number; high: number } | undefined {
  return koopmanRatioIntervalAt(controlConversions, controlUnits, treatmentConversions, treatmentUnits, twoSidedQuantile(confidence));
}

/** {@link koopmanRatioInterval} where the score statistic stays within ±z (a normal quantile, or a wider one: see always-valid.ts). */
export function koopmanRatioIntervalAt(
  controlConversions: number,
  controlUnits: number,
  treatmentConversions: number,
  treatmentUnits: number,
  z: number,
): { estimate: number; low: number; high: number } | undefined {
  if (controlConversions === 0) return undefined;
  const statistic = (logTheta: number) => scoreStatistic(controlConversions, controlUnits, treatmentConversions, treatmentUnits, Math.exp(logTheta));
  const estimate = treatmentConversions / treatmentUnits / (controlConversions / controlUnits);
  // Bracket each crossing in log θ, stepping out from the estimate (or, with no treatment events,
  // from a ratio that one treatment event would give) until the statistic is past ±z.
  const centre = estimate > 0 ? Math.log(estimate) : Math.log(controlUnits / (controlConversions * treatmentUnits));
  let step = 1;
  let below = centre - step;
  let low = 0;
  if (estimate > 0) {
    while (statistic(below) <= z) below -= (step *= 2);
    low = Math.exp(crossing(statistic, z, below, centre));
  }
  step = 1;
  let above = centre + step;
  while (statistic(above) >= -z) above += (step *= 2);
  let inside = centre;
  while (statistic(inside) <= -z) inside -= (step *= 2);
  return { estimate, low, high: Math.exp(crossing(statistic, -z, inside, above)) };
}
