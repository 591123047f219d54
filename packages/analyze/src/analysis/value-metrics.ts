// Numeric properties of events (cost, tokens) and ratios of them, analysed on units: each unit's
// total and each unit's mean are one observation, so a unit with fifty events counts once.
import type { RatioSpec, ValueSpec } from '../policy/policy.js';
import { alwaysValidEstimates } from '@bucketry/stats';
import { meanRelativeLift, ratioComparison, ratioOfMeans, type RatioMoments } from '@bucketry/stats';
import type { Interval, LiftInterval } from '@bucketry/stats';
import { normalSurvival, twoSidedQuantile } from '@bucketry/stats';
import { welchTTest, type SampleMoments } from '@bucketry/stats';
import type { SequentialOptions } from './sequential-options.js';
import type { ValueTallies } from './unit-moments.js';

/**
 * A per-unit number's mean and standard deviation over units; `null` where they do not exist.
 *
 * @example
 * ```ts
 * const { mean, sd } = cost.variants[1].sumPerUnit;
 * ```
 */
export interface UnitStatistic {
  readonly mean: number | null;
  readonly sd: number | null;
}

/**
 * One variant's values of a series.
 *
 * @example
 * ```ts
 * console.log(v.name, v.sumPerUnit.mean, v.meanPerUnit.mean);
 * ```
 */
export interface ValueVariant {
  readonly name: string;
  /** Units exposed to this variant alone. */
  readonly units: number;
  /** Of them, units with at least one value. */
  readonly unitsWithValues: number;
  /** Values attributed to those units (events). */
  readonly values: number;
  /** Each unit's total, over every unit of the variant (0 for one without values): cost per unit. */
  readonly sumPerUnit: UnitStatistic;
  /** Each unit's mean value, over the units with values: cost per event, each unit weighing once. */
  readonly meanPerUnit: UnitStatistic;
}

/**
 * A treatment against control on a per-unit number.
 *
 * @example
 * ```ts
 * const { relativeLift, pValue } = cost.comparisons.sumPerUnit[0];
 * ```
 */
export interface ValueComparison {
  readonly treatment: string;
  readonly control: string;
  /** mean_T − mean_C with Welch's interval at the report's confidence; `null` without a test (under 2 units in an arm, or no spread). */
  readonly difference: Interval | null;
  /** mean_T/mean_C − 1 with its delta-method interval; `null` when control's mean is 0 or there is no test. */
  readonly relativeLift: Interval | null;
  readonly t: number | null;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number | null;
  readonly pValue: number | null;
  /** The always-valid test (mSPRT) and the confidence sequences of both lifts; `null` without a test. */
  readonly sequential: { readonly pValue: number; readonly difference: LiftInterval; readonly relativeLift: LiftInterval | null } | null;
}

/**
 * A numeric property of an event, per variant and compared on units two ways: each unit's total
 * (`sumPerUnit`) and each unit's mean (`meanPerUnit`).
 *
 * @example
 * ```ts
 * const cost = report.values.find((v) => v.property === 'cost_usd');
 * ```
 */
export interface ValueMetricResult {
  readonly event: string;
  /** `null`: the count of the event. */
  readonly property: string | null;
  readonly variants: readonly ValueVariant[];
  readonly comparisons: { readonly sumPerUnit: readonly ValueComparison[]; readonly meanPerUnit: readonly ValueComparison[] };
}

/** A statistic as the report gives it: `null` where it does not exist (undefined, or NaN as the moments of too few units are). */
export const orNull = (n: number | undefined): number | null => (n === undefined || Number.isNaN(n) ? null : n);

/** Welch's test, the delta-method relative lift and the always-valid test of two unit-level samples. */
export function compareMoments(treatment: string, control: string, c: SampleMoments, t: SampleMoments, confidence: number, sequential: SequentialOptions): ValueComparison {
  const test = welchTTest(c, t, confidence);
  if (test === undefined) return { treatment, control, difference: null, relativeLift: null, t: null, df: null, pValue: null, sequential: null };
  const relative = meanRelativeLift(c, t, twoSidedQuantile(confidence));
  const anytime = alwaysValidEstimates(test.difference, relative, c.count + t.count, 1 - confidence, sequential.spread);
  return {
    treatment,
    control,
    difference: test.difference,
    relativeLift: relative ?? null,
    t: test.t,
    df: test.df,
    pValue: test.pValue,
    sequential: { pValue: anytime.pValue, difference: anytime.difference, relativeLift: anytime.relative },
  };
}

/** A value metric's report section from its per-variant tallies. */
export function valueMetric(spec: ValueSpec, variants: readonly string[], tallies: readonly ValueTallies[], confidence: number, sequential: SequentialOptions): ValueMetricResult {
  const stat = (m: SampleMoments): UnitStatistic => ({ mean: orNull(m.mean), sd: orNull(m.sd) });
  const compare = (pick: (t: ValueTallies) => SampleMoments) =>
    variants.slice(1).map((treatment, i) => compareMoments(treatment, variants[0]!, pick(tallies[0]!), pick(tallies[i + 1]!), confidence, sequential));
  return {
    event: spec.event,
    property: spec.property ?? null,
    variants: variants.map((name, v) => ({
      name,
      units: tallies[v]!.units,
      unitsWithValues: tallies[v]!.means.count,
      values: tallies[v]!.values,
      sumPerUnit: stat(tallies[v]!.sums),
      meanPerUnit: stat(tallies[v]!.means),
    })),
    comparisons: { sumPerUnit: compare((t) => t.sums), meanPerUnit: compare((t) => t.means) },
  };
}

/**
 * One variant's ratio: Σ numerator / Σ denominator over its units, with its delta-method interval.
 *
 * @example
 * ```ts
 * const { ratio, interval } = hitRate.variants[0];
 * ```
 */
export interface RatioVariant {
  readonly name: string;
  readonly units: number;
  /** Σ numerator and Σ denominator over the units. */
  readonly numerator: number;
  readonly denominator: number;
  /** `null` when the denominator is 0 (or fewer than 2 units). */
  readonly ratio: number | null;
  readonly interval: LiftInterval | null;
}

/**
 * A treatment's ratio against control's.
 *
 * @example
 * ```ts
 * const { difference, relativeLift, pValue } = hitRate.comparisons[0];
 * ```
 */
export interface RatioComparison {
  readonly treatment: string;
  readonly control: string;
  /** R_T − R_C with its delta-method interval. */
  readonly difference: Interval | null;
  /** R_T/R_C − 1 with its delta-method interval; `null` when control's ratio is 0. */
  readonly relativeLift: Interval | null;
  readonly z: number | null;
  /** Two-sided, normal. */
  readonly pValue: number | null;
  readonly sequential: { readonly pValue: number; readonly difference: LiftInterval; readonly relativeLift: LiftInterval | null } | null;
}

/**
 * A ratio of per-unit sums (hits per lookup), the units being the independent observations.
 *
 * @example
 * ```ts
 * const hitRate = report.ratios[0];
 * ```
 */
export interface RatioResult {
  readonly numerator: ValueSpec;
  readonly denominator: ValueSpec;
  readonly variants: readonly RatioVariant[];
  readonly comparisons: readonly RatioComparison[];
}

/** A ratio metric's report section from its per-variant moments. */
export function ratioMetric(spec: RatioSpec, variants: readonly string[], moments: readonly RatioMoments[], confidence: number, sequential: SequentialOptions): RatioResult {
  const z = twoSidedQuantile(confidence);
  return {
    numerator: spec.numerator,
    denominator: spec.denominator,
    variants: variants.map((name, v) => {
      const m = moments[v]!;
      const r = ratioOfMeans(m);
      return {
        name,
        units: m.count,
        numerator: m.sumX,
        denominator: m.sumY,
        ratio: r?.ratio ?? null,
        interval: r === undefined ? null : { estimate: r.ratio, low: r.ratio - z * r.standardError, high: r.ratio + z * r.standardError },
      };
    }),
    comparisons: variants.slice(1).map((treatment, i): RatioComparison => {
      const control = variants[0]!;
      const result = ratioComparison(moments[0]!, moments[i + 1]!, z);
      if (result === undefined || !(result.difference.standardError > 0)) return { treatment, control, difference: null, relativeLift: null, z: null, pValue: null, sequential: null };
      const { difference, relative } = result;
      const statistic = difference.estimate / difference.standardError;
      const anytime = alwaysValidEstimates(difference, relative, moments[0]!.count + moments[i + 1]!.count, 1 - confidence, sequential.spread);
      return {
        treatment,
        control,
        difference,
        relativeLift: relative ?? null,
        z: statistic,
        pValue: Math.min(1, 2 * normalSurvival(Math.abs(statistic))),
        sequential: { pValue: anytime.pValue, difference: anytime.difference, relativeLift: anytime.relative },
      };
    }),
  };
}
