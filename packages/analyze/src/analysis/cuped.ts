import { cupedAdjustment, welchTTest, type Interval, type RatioMoments } from '@bucketry/stats';
import type { ExportAccumulator } from './accumulator.js';
import type { PrePeriodCounts } from './cuped-pre-period.js';
import { pairedMoments } from './unit-moments.js';
import { orNull } from './value-metrics.js';

/**
 * A treatment against control on one metric, CUPED-adjusted. Numbers are `null` where they do not
 * exist: no θ when the covariate does not vary (no unit of either arm had a pre-period), no test
 * under 2 units in an arm or without spread.
 *
 * @example
 * ```ts
 * const { difference, pValue, varianceReduction } = report.cuped!.metrics[0].comparisons[0];
 * ```
 */
export interface CupedComparison {
  readonly treatment: string;
  readonly control: string;
  /** cov(Y, X) / var(X) over both arms' units pooled. */
  readonly theta: number | null;
  /** Each arm's mean of Y − θ(X − X̄). */
  readonly adjustedMeans: { readonly control: number; readonly treatment: number } | null;
  /** The adjusted means' difference with Welch's interval at the report's confidence. */
  readonly difference: Interval | null;
  readonly t: number | null;
  readonly df: number | null;
  readonly pValue: number | null;
  /** The same Welch test on Y unadjusted: the baseline the reduction is measured against. */
  readonly unadjustedDifference: Interval | null;
  readonly unadjustedPValue: number | null;
  /** 1 − Var(adjusted difference) / Var(unadjusted difference). */
  readonly varianceReduction: number | null;
}

/**
 * One variant's units on a CUPED metric.
 *
 * @example
 * ```ts
 * const { units, unitsWithPrePeriod } = report.cuped!.metrics[0].variants[1];
 * ```
 */
export interface CupedVariant {
  readonly name: string;
  /** Units the metric is measured on (for durations: those with durations after exposure). */
  readonly units: number;
  /** Of them, units with events in the window before their first exposure (the others have X = 0). */
  readonly unitsWithPrePeriod: number;
  /** Mean of Y, unadjusted, and of the covariate X. */
  readonly mean: number | null;
  readonly covariateMean: number | null;
}

/**
 * A metric CUPED adjusts: a success metric (Y: converted after exposure, 0/1; X: had the event in
 * the window before, 0/1), an event's durations (Y: the unit's mean duration after exposure; X:
 * its mean duration in the window, 0 without one) or a value metric's total per unit (Y: the sum
 * after exposure; X: the sum in the window).
 *
 * @example
 * ```ts
 * const sessions = report.cuped!.metrics.find((m) => m.kind === 'conversion' && m.event === 'session_started_from_tree');
 * ```
 */
export interface CupedMetric {
  readonly kind: 'conversion' | 'duration' | 'value';
  readonly event: string;
  /** The value metric's property; `null` for the others (and for a value metric counting events). */
  readonly property: string | null;
  readonly variants: readonly CupedVariant[];
  readonly comparisons: readonly CupedComparison[];
}

/**
 * CUPED's results: the window, what happened to the pre-exposure events, and each metric.
 *
 * @example
 * ```ts
 * if (report.cuped) console.log(report.cuped.windowMs, report.cuped.metrics.length);
 * ```
 */
export interface CupedReport {
  readonly windowMs: number;
  readonly prePeriodEvents: Readonly<PrePeriodCounts>;
  readonly metrics: readonly CupedMetric[];
}

/** One metric's variants and comparisons from its per-variant moments (X the covariate, Y the outcome) and units with a pre-period. */
function cupedMetric(kind: CupedMetric['kind'], event: string, property: string | null, variants: readonly string[], moments: readonly RatioMoments[], withPrePeriod: readonly number[], confidence: number): CupedMetric {
  return {
    kind,
    event,
    property,
    variants: variants.map((name, v) => ({
      name,
      units: moments[v]!.count,
      unitsWithPrePeriod: withPrePeriod[v]!,
      mean: moments[v]!.count > 0 ? moments[v]!.meanY : null,
      covariateMean: moments[v]!.count > 0 ? moments[v]!.meanX : null,
    })),
    comparisons: variants.slice(1).map((treatment, i): CupedComparison => {
      const control = variants[0]!;
      const [c, t] = [moments[0]!, moments[i + 1]!];
      const unadjusted = welchTTest({ count: c.count, mean: c.meanY, sd: Math.sqrt(c.varY) }, { count: t.count, mean: t.meanY, sd: Math.sqrt(t.varY) }, confidence);
      const adjustment = cupedAdjustment(c, t);
      const test = adjustment === undefined ? undefined : welchTTest(adjustment.control, adjustment.treatment, confidence);
      return {
        treatment,
        control,
        theta: adjustment?.theta ?? null,
        adjustedMeans: adjustment === undefined ? null : { control: adjustment.control.mean, treatment: adjustment.treatment.mean },
        difference: test?.difference ?? null,
        t: test?.t ?? null,
        df: test?.df ?? null,
        pValue: test?.pValue ?? null,
        unadjustedDifference: unadjusted?.difference ?? null,
        unadjustedPValue: unadjusted?.pValue ?? null,
        varianceReduction: test === undefined ? null : orNull(adjustment!.varianceReduction),
      };
    }),
  };
}

/** CUPED for every success metric, every event with unit-level durations and every value metric's total per unit; `null` without `cupedWindowMs`. */
export function buildCuped(acc: ExportAccumulator): CupedReport | null {
  const covariates = acc.covariates;
  if (covariates === undefined) return null;
  const { options, units: table } = acc;
  const { variants, confidence } = options;
  const pre = covariates.prePeriod;
  const withPrePeriod = (series: number, include?: (row: number) => boolean) => {
    const counts = variants.map(() => 0);
    for (let row = 0; row < table.size; row++) {
      const v = table.variantOf(row);
      if (v >= 0 && pre.count(series, row) > 0 && (include === undefined || include(row))) counts[v]!++;
    }
    return counts;
  };
  const metrics: CupedMetric[] = [];
  options.metrics.forEach((event, m) => {
    const series = covariates.metricSeries[m]!;
    const moments = pairedMoments(table, variants.length, (row) => (pre.count(series, row) > 0 ? 1 : 0), (row) => (table.converted(row, m) ? 1 : 0));
    metrics.push(cupedMetric('conversion', event, null, variants, moments, withPrePeriod(series), confidence));
  });
  const unitDurations = acc.durations.unitValues;
  for (const [event, { unitSeries }] of acc.durations.series) {
    if (unitSeries < 0) continue;
    const series = covariates.durationSeries.get(event);
    const measured = (row: number) => unitDurations.count(unitSeries, row) > 0;
    const x = (row: number) => (series === undefined || pre.count(series, row) === 0 ? 0 : pre.sum(series, row) / pre.count(series, row));
    const moments = pairedMoments(table, variants.length, x, (row) => unitDurations.mean(unitSeries, row)!, measured);
    metrics.push(cupedMetric('duration', event, null, variants, moments, series === undefined ? variants.map(() => 0) : withPrePeriod(series, measured), confidence));
  }
  for (const s of options.values) {
    const series = covariates.valueSeries[s]!;
    const spec = options.valueSeries[s]!;
    const moments = pairedMoments(table, variants.length, (row) => pre.sum(series, row), (row) => acc.unitValues.sum(s, row));
    metrics.push(cupedMetric('value', spec.event, spec.property ?? null, variants, moments, withPrePeriod(series), confidence));
  }
  return { windowMs: pre.windowMs, prePeriodEvents: { ...pre.counts }, metrics };
}
