// Each variant's exposures and units beside the share the weights expect.
import type { UnitSummary } from './unit-summary.js';

/**
 * One variant's exposure counts.
 *
 * @example
 * ```ts
 * for (const v of report.variants) console.log(v.name, v.units, v.share);
 * ```
 */
export interface VariantSummary {
  readonly name: string;
  /** Expected share of units from the weights, 0–1. */
  readonly expectedShare: number;
  /** Exposure events (every one, including those of units later excluded). */
  readonly exposures: number;
  /** Distinct units exposed to this variant only: the analysis population. */
  readonly units: number;
  /** Units exposed to this variant and another: excluded, counted here. */
  readonly mixedUnits: number;
  /** Observed share of units; `null` when there are none at all. */
  readonly share: number | null;
}

/** Each variant's counts from the unit summary, with its expected and observed share. */
export function summarizeVariants(variants: readonly string[], weights: readonly number[], exposures: readonly number[], summary: UnitSummary): VariantSummary[] {
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const totalUnits = summary.units.reduce((sum, n) => sum + n, 0);
  return variants.map((name, v) => ({
    name,
    expectedShare: weights[v]! / totalWeight,
    exposures: exposures[v]!,
    units: summary.units[v]!,
    mixedUnits: summary.mixedByVariant[v]!,
    share: totalUnits > 0 ? summary.units[v]! / totalUnits : null,
  }));
}
