import type { Interval, LiftInterval } from '@bucketry/stats';
import type { QuantileInterval } from '@bucketry/stats';
import type { DurationSeries } from './duration-tally.js';
import { groupByUnit, quantileDesignEffect } from './design-effect.js';
import type { SequentialOptions } from './sequential-options.js';
import { unitTallies } from './unit-moments.js';
import type { UnitSample } from './unit-sample.js';
import type { UnitTable } from './unit-table.js';
import type { UnitValues } from './unit-values.js';
import { compareMoments, orNull } from './value-metrics.js';

/**
 * One variant's durations of an event, on units: the mean is over units of each unit's mean
 * duration (a unit with fifty loads counts once), and the percentiles' intervals allow for a
 * unit's durations moving together. The percentiles themselves are of all the durations. Every
 * number is `null` without data (sd and intervals below 2 values), and the unit-level ones beyond
 * the first 16 events with durations (MAX_UNIT_DURATION_EVENTS).
 *
 * @example
 * ```ts
 * const [tree, list] = loaded.variants;
 * console.log(list.p95, list.p95Interval); // 2237.8 { low: 2052, high: 2384 }
 * ```
 */
export interface DurationVariant {
  readonly name: string;
  /** Durations (events). */
  readonly count: number;
  /** Units with durations. */
  readonly units: number | null;
  /** The mean over units of each unit's mean duration. */
  readonly mean: number | null;
  /** The standard deviation of the units' mean durations. */
  readonly sd: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p95: number | null;
  /**
   * Intervals of the percentiles at the report's confidence: order statistics at ranks
   * nq ± z·√(nq(1−q)·D), D the design effect of the count below the percentile, estimated on a
   * sample of whole units (1 for one duration per unit).
   */
  readonly p50Interval: QuantileInterval | null;
  readonly p90Interval: QuantileInterval | null;
  readonly p95Interval: QuantileInterval | null;
}

/**
 * A treatment's mean duration against control's, on units: Welch's t-test of the units' mean
 * durations.
 *
 * @example
 * ```ts
 * const [vsControl] = loaded.comparisons;
 * if (vsControl.pValue !== null && vsControl.pValue < 0.05) console.log('mean load time differs', vsControl.meanDifference);
 * ```
 */
export interface DurationComparison {
  readonly treatment: string;
  readonly control: string;
  /** mean_T − mean_C (of units' means), ms, with its interval at the report's confidence; `null` when no test exists (under 2 units in an arm, or no spread). */
  readonly meanDifference: Interval | null;
  readonly t: number | null;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number | null;
  readonly pValue: number | null;
  /** The always-valid test (mSPRT): its p-value and the confidence sequence of mean_T − mean_C; `null` when Welch's test does not exist. */
  readonly sequential: { readonly pValue: number; readonly meanDifference: LiftInterval } | null;
}

/**
 * Durations of one event: per variant, and each treatment's mean against control's.
 *
 * @example
 * ```ts
 * const loaded = report.durations.find((d) => d.event === 'skill_tree_loaded');
 * ```
 */
export interface DurationSummary {
  readonly event: string;
  readonly field: string;
  readonly variants: readonly DurationVariant[];
  readonly comparisons: readonly DurationComparison[];
}

/** What the durations of one event need besides the sketches: the per-unit sums and the sample of units. */
export interface UnitDurations {
  readonly table: UnitTable;
  readonly values: UnitValues;
  readonly sample: UnitSample;
}

/**
 * Each event's durations per variant, and each treatment's mean against control's on units:
 * Welch's test and the always-valid test.
 */
export function summarizeDurations(
  series: ReadonlyMap<string, DurationSeries>,
  variants: readonly string[],
  confidence: number,
  sequential: SequentialOptions,
  units: UnitDurations,
): DurationSummary[] {
  const variantOf = (row: number) => units.table.variantOf(row);
  return [...series].map(([event, { field, byVariant, unitSeries }]) => {
    const tallies = unitSeries < 0 ? undefined : unitTallies(units.table, units.values, unitSeries, variants.length);
    const sample = unitSeries < 0 ? undefined : units.sample.values(unitSeries);
    const grouped = sample === undefined ? undefined : groupByUnit(sample.rows, variantOf);
    const variantRows = variants.map((name, v): DurationVariant => {
      const sketch = byVariant[v]!;
      const interval = (q: number) => {
        if (sketch.count < 2) return null;
        const quantile = sketch.quantile(q);
        const effect = sample === undefined || grouped === undefined || quantile === undefined ? 1 : quantileDesignEffect(grouped, sample.values, v, q, quantile);
        return sketch.quantileInterval(q, confidence, effect) ?? null;
      };
      const means = tallies?.[v]!.means;
      return {
        name,
        count: sketch.count,
        units: means === undefined ? null : means.count,
        mean: means === undefined ? null : orNull(means.mean),
        sd: means === undefined ? null : orNull(means.sd),
        p50: orNull(sketch.quantile(0.5)),
        p90: orNull(sketch.quantile(0.9)),
        p95: orNull(sketch.quantile(0.95)),
        p50Interval: interval(0.5),
        p90Interval: interval(0.9),
        p95Interval: interval(0.95),
      };
    });
    return {
      event,
      field,
      variants: variantRows,
      comparisons: variants.slice(1).map((treatment, i): DurationComparison => {
        const control = variants[0]!;
        if (tallies === undefined) return { treatment, control, meanDifference: null, t: null, df: null, pValue: null, sequential: null };
        // The units' mean durations are compared as any per-unit mean is (see value-metrics.ts).
        const c = compareMoments(treatment, control, tallies[0]!.means, tallies[i + 1]!.means, confidence, sequential);
        return {
          treatment,
          control,
          meanDifference: c.difference,
          t: c.t,
          df: c.df,
          pValue: c.pValue,
          sequential: c.sequential === null ? null : { pValue: c.sequential.pValue, meanDifference: c.sequential.difference },
        };
      }),
    };
  });
}
