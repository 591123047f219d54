// Funnels: how far units get through a list of events after their first exposure, per variant.
import { compareMetrics, type MetricResult } from './metrics.js';
import type { SequentialOptions } from './sequential-options.js';
import type { UnitTable } from './unit-table.js';

/**
 * One variant's units through a funnel.
 *
 * @example
 * ```ts
 * const [tree, list] = checkout.variants;
 * console.log(list.reached, list.stepConversion);
 * ```
 */
export interface FunnelVariant {
  readonly name: string;
  /** Units exposed to this variant alone. */
  readonly units: number;
  /** Per step: units that had each of the first k events at or after their first exposure. */
  readonly reached: readonly number[];
  /** Per step: reached[k] / reached[k − 1] (the first step over the units); `null` over 0. */
  readonly stepConversion: readonly (number | null)[];
}

/**
 * A funnel: per variant, the units reaching each step, and each treatment's reach of each step
 * against control's (a share of all the variant's units, so the comparison is between randomised
 * groups), Holm-adjusted over the funnel's steps and treatments.
 *
 * @example
 * ```ts
 * const checkout = report.funnels[0];
 * checkout.reach[2].comparisons[0].adjustedPValue; // the third step, first treatment
 * ```
 */
export interface FunnelResult {
  readonly steps: readonly string[];
  readonly variants: readonly FunnelVariant[];
  /**
   * Per step, the reach as a conversion metric (units reaching it over the variant's units):
   * lifts with their intervals, z-tests, Holm over the steps and treatments, always-valid tests.
   */
  readonly reach: readonly MetricResult[];
}

/**
 * Each funnel's units per step and variant, from one pass over the unit table per funnel, and
 * each step's reach compared. `metricOf` gives a step's tracked-metric index.
 */
export function analyzeFunnels(
  funnels: readonly (readonly string[])[],
  metricOf: (event: string) => number,
  table: UnitTable,
  variants: readonly string[],
  confidence: number,
  sequential: SequentialOptions,
): FunnelResult[] {
  return funnels.map((steps) => {
    const metrics = steps.map(metricOf);
    const units = new Array<number>(variants.length).fill(0);
    const reached = steps.map(() => new Array<number>(variants.length).fill(0));
    for (let row = 0; row < table.size; row++) {
      const variant = table.variantOf(row);
      if (variant < 0) continue;
      units[variant]!++;
      for (let k = 0; k < steps.length && table.converted(row, metrics[k]!); k++) reached[k]![variant]!++;
    }
    return {
      steps,
      variants: variants.map((name, v) => ({
        name,
        units: units[v]!,
        reached: reached.map((r) => r[v]!),
        stepConversion: reached.map((r, k) => {
          const before = k === 0 ? units[v]! : reached[k - 1]![v]!;
          return before > 0 ? r[v]! / before : null;
        }),
      })),
      reach: compareMetrics(steps, steps.length, variants, units, reached, confidence, sequential),
    };
  });
}
