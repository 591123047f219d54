import type { Interval, LiftInterval } from '../stats/lift.js';
import type { QuantileInterval, QuantileSketch } from '../stats/quantile-sketch.js';
import { alwaysValidMeans } from '../stats/always-valid.js';
import { welchTTest, type SampleMoments } from '../stats/student-t.js';
import type { DurationSeries } from './accumulator.js';
import type { SequentialOptions } from './options.js';

/**
 * One variant's durations of an event. Every number is `null` without data (sd and intervals below 2 values).
 *
 * @example
 * ```ts
 * const [tree, list] = loaded.variants;
 * console.log(list.p95, list.p95Interval); // 2237.8 { low: 2052, high: 2384 }
 * ```
 */
export interface DurationVariant {
  readonly name: string;
  readonly count: number;
  readonly mean: number | null;
  /** Sample standard deviation. */
  readonly sd: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p95: number | null;
  /** Distribution-free intervals of the percentiles at the report's confidence (order statistics). */
  readonly p50Interval: QuantileInterval | null;
  readonly p90Interval: QuantileInterval | null;
  readonly p95Interval: QuantileInterval | null;
}

/**
 * A treatment's mean duration against control's: Welch's t-test.
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
  /** mean_T − mean_C, ms, with its interval at the report's confidence; `null` when no test exists (under 2 values in an arm, or no spread). */
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

/** A variant's durations: count, mean, sd, percentiles and their intervals. */
function durationVariant(name: string, sketch: QuantileSketch, confidence: number): DurationVariant {
  const orNull = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? null : n);
  const interval = (q: number) => (sketch.count >= 2 ? (sketch.quantileInterval(q, confidence) ?? null) : null);
  return {
    name,
    count: sketch.count,
    mean: orNull(sketch.mean),
    sd: orNull(sketch.sd),
    p50: orNull(sketch.quantile(0.5)),
    p90: orNull(sketch.quantile(0.9)),
    p95: orNull(sketch.quantile(0.95)),
    p50Interval: interval(0.5),
    p90Interval: interval(0.9),
    p95Interval: interval(0.95),
  };
}

/**
 * Each event's durations per variant, and each treatment's mean against control's: Welch's test
 * and the always-valid test.
 */
export function summarizeDurations(
  series: ReadonlyMap<string, DurationSeries>,
  variants: readonly string[],
  confidence: number,
  sequential: SequentialOptions,
): DurationSummary[] {
  const moments = (sketch: QuantileSketch): SampleMoments => ({ count: sketch.count, mean: sketch.mean, sd: sketch.sd });
  return [...series].map(([event, { field, byVariant }]) => ({
    event,
    field,
    variants: variants.map((name, v) => durationVariant(name, byVariant[v]!, confidence)),
    comparisons: variants.slice(1).map((treatment, i): DurationComparison => {
      const control = moments(byVariant[0]!);
      const other = moments(byVariant[i + 1]!);
      const test = welchTTest(control, other, confidence);
      const anytime = alwaysValidMeans(control, other, 1 - confidence, sequential.spread);
      return {
        treatment,
        control: variants[0]!,
        meanDifference: test?.difference ?? null,
        t: test?.t ?? null,
        df: test?.df ?? null,
        pValue: test?.pValue ?? null,
        sequential: anytime === undefined ? null : { pValue: anytime.pValue!, meanDifference: anytime.difference },
      };
    }),
  }));
}
