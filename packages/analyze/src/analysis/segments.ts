import { chiSquareGoodnessOfFit } from '@bucketry/stats';
import type { ExportAccumulator } from './accumulator.js';
import { compareMetrics, holmOverSuccessMetrics, type MetricResult } from './metrics.js';
import { MAX_SEGMENT_VALUES } from './segment-options.js';
import { NOT_SET } from './segment-table.js';
import { Running } from './unit-moments.js';
import { compareMoments, orNull, type ValueComparison } from './value-metrics.js';

/**
 * One slice of a segment property: the units whose first exposure carried one value (`value`),
 * none (`not-set`), or one of the values beyond the first MAX_SEGMENT_VALUES (`other`).
 *
 * @example
 * ```ts
 * for (const slice of report.segments[0].slices) console.log(slice.value ?? slice.kind, slice.units, slice.small);
 * ```
 */
export interface SegmentSlice {
  readonly kind: 'value' | 'not-set' | 'other';
  /** The value; `null` for `not-set` and `other`. */
  readonly value: string | null;
  /** Units per variant, control first. */
  readonly units: readonly number[];
  /** The smallest arm has fewer units than `segmentMinUnits`: read its comparisons as noise. */
  readonly small: boolean;
  /**
   * Pearson's chi-square of the slice's units per variant against the weights: the value was read
   * before the assignment could act, so each slice should split as the whole does. `null` when
   * there is no split to check (one variant weighted).
   */
  readonly sampleRatioPValue: number | null;
  /**
   * Each tracked metric in this slice, as in the report's `metrics`, except that the success
   * metrics' adjusted p-values are Holm-adjusted over every slice of every segment property.
   */
  readonly metrics: readonly MetricResult[];
  /** The value metrics' totals per unit, then the unit-level mean durations, in this slice. */
  readonly means: readonly SegmentMean[];
}

/**
 * A per-unit number in one slice: a value metric's total per unit (every unit of the slice), or an
 * event's mean duration per unit (the units with durations), compared as the whole report does
 * (Welch's test on units; not Holm-adjusted, as there).
 *
 * @example
 * ```ts
 * const cost = slice.means.find((m) => m.kind === 'value' && m.property === 'cost_usd');
 * ```
 */
export interface SegmentMean {
  readonly kind: 'value' | 'duration';
  readonly event: string;
  /** The value metric's property; `null` for durations and for a value metric counting events. */
  readonly property: string | null;
  /** Units measured per variant, and their mean. */
  readonly units: readonly number[];
  readonly means: readonly (number | null)[];
  readonly comparisons: readonly ValueComparison[];
}

/**
 * Something to know about a segment property's slices, as plain data (the formatters word it).
 *
 * @example
 * ```ts
 * const small = report.segments[0].warnings.filter((w) => w.code === 'small-slice');
 * ```
 */
export type SegmentWarning =
  | { readonly code: 'small-slice'; readonly kind: SegmentSlice['kind']; readonly value: string | null; readonly smallestArm: number; readonly minUnits: number }
  /**
   * A slice whose split is off: p below the sample ratio check's failing threshold divided by the
   * slices checked (Bonferroni over every slice of every property). Its comparisons are suspect:
   * the value may be recorded differently per variant.
   */
  | { readonly code: 'slice-sample-ratio'; readonly kind: SegmentSlice['kind']; readonly value: string | null; readonly pValue: number; readonly threshold: number }
  /** Units whose exposures carried different values: each counted in its first exposure's slice. */
  | { readonly code: 'value-changed'; readonly units: number }
  /** Exposures with values beyond the first `maxValues` distinct ones, pooled into the `other` slice. */
  | { readonly code: 'values-pooled'; readonly exposures: number; readonly maxValues: number };

/**
 * The analysis of one segment property. Slices inform; they never change the decision.
 *
 * @example
 * ```ts
 * const role = report.segments.find((s) => s.property === 'role');
 * ```
 */
export interface SegmentResult {
  readonly property: string;
  /** Largest first; `not-set` and `other` last. Slices without units are left out. */
  readonly slices: readonly SegmentSlice[];
  /** Units analysed whose exposures carried different values (counted in the slice of the first). */
  readonly unitsWithChangedValue: number;
  readonly warnings: readonly SegmentWarning[];
}

/**
 * Every segment property's slices: units per variant and each metric's comparison in each slice,
 * the success metrics' p-values Holm-adjusted over metrics × treatments × slices × properties
 * (a family apart from the report's own, which stays as it is: slicing never changes the decision).
 */
export function buildSegments(acc: ExportAccumulator, metricEvents: number): SegmentResult[] {
  const table = acc.segments;
  if (table === undefined) return [];
  const { options, units } = acc;
  const variantCount = options.variants.length;
  // The per-unit numbers sliced: each value metric's total, each event's unit-level mean duration.
  const numbers = [
    ...options.values.map((series) => ({ kind: 'value' as const, event: options.valueSeries[series]!.event, property: options.valueSeries[series]!.property ?? null, of: (row: number) => acc.unitValues.sum(series, row) })),
    ...[...acc.durations.series]
      .filter(([, d]) => d.unitSeries >= 0)
      .map(([event, { unitSeries }]) => ({
        kind: 'duration' as const,
        event,
        property: null,
        of: (row: number) => acc.durations.unitValues.mean(unitSeries, row),
      })),
  ];
  const properties = options.segments.map((property, s) => {
    // Slots: the values by index, then not-set, then other.
    const slots = table.names(s).length + 2;
    return {
      property,
      units: Array.from({ length: slots }, () => new Array<number>(variantCount).fill(0)),
      conversions: Array.from({ length: slots }, () => Array.from({ length: metricEvents }, () => new Array<number>(variantCount).fill(0))),
      numbers: Array.from({ length: slots }, () => numbers.map(() => Array.from({ length: variantCount }, () => new Running()))),
      changed: 0,
    };
  });
  for (let row = 0; row < units.size; row++) {
    const variant = units.variantOf(row);
    if (variant < 0) continue;
    properties.forEach((p, s) => {
      const value = table.valueOf(s, row);
      const slot = value >= 0 ? value : value === NOT_SET ? p.units.length - 2 : p.units.length - 1;
      p.units[slot]![variant]!++;
      for (let m = 0; m < metricEvents; m++) if (units.converted(row, m)) p.conversions[slot]![m]![variant]!++;
      numbers.forEach((n, k) => {
        const x = n.of(row);
        if (x !== undefined) p.numbers[slot]![k]![variant]!.add(x);
      });
      if (table.changed(s, row)) p.changed++;
    });
  }
  const names = options.trackedEvents.slice(0, metricEvents);
  const sliced = properties.map((p, s) => {
    const values = table.names(s);
    const slices = p.units
      .map((armUnits, slot) => {
        const kind: SegmentSlice['kind'] = slot < values.length ? 'value' : slot === values.length ? 'not-set' : 'other';
        return {
          kind,
          value: kind === 'value' ? values[slot]! : null,
          units: armUnits,
          small: Math.min(...armUnits) < options.segmentMinUnits,
          sampleRatioPValue: sampleRatioPValue(armUnits, options.weights),
          metrics: compareMetrics(names, options.metrics.length, options.variants, armUnits, p.conversions[slot]!, options.confidence, options.sequential),
          means: numbers.map((n, k): SegmentMean => {
            const moments = p.numbers[slot]![k]!.map((r) => r.moments);
            return {
              kind: n.kind,
              event: n.event,
              property: n.property,
              units: moments.map((m) => m.count),
              means: moments.map((m) => orNull(m.mean)),
              comparisons: options.variants.slice(1).map((treatment, i) => compareMoments(treatment, options.variants[0]!, moments[0]!, moments[i + 1]!, options.confidence, options.sequential)),
            };
          }),
        };
      })
      .filter((slice) => slice.units.some((n) => n > 0))
      .sort((a, b) => Number(a.kind !== 'value') - Number(b.kind !== 'value') || total(b.units) - total(a.units));
    return { property: p.property, slices, changed: p.changed, pooled: table.pooledExposures(s) };
  });

  // One Holm family over every slice's success comparisons.
  const adjusted = holmOverSuccessMetrics(sliced.flatMap((p) => p.slices.flatMap((slice) => slice.metrics)), options.confidence);
  let next = 0;
  const checked = sliced.reduce((n, p) => n + p.slices.filter((slice) => slice.sampleRatioPValue !== null).length, 0);
  const srmThreshold = options.srm.failBelow / Math.max(1, checked);
  return sliced.map((p): SegmentResult => {
    const slices = p.slices.map((slice): SegmentSlice => ({ ...slice, metrics: slice.metrics.map(() => adjusted[next++]!) }));
    const warnings: SegmentWarning[] = slices
      .filter((slice) => slice.small)
      .map((slice) => ({ code: 'small-slice', kind: slice.kind, value: slice.value, smallestArm: Math.min(...slice.units), minUnits: options.segmentMinUnits }));
    for (const slice of slices) {
      if (slice.sampleRatioPValue !== null && slice.sampleRatioPValue < srmThreshold) {
        warnings.push({ code: 'slice-sample-ratio', kind: slice.kind, value: slice.value, pValue: slice.sampleRatioPValue, threshold: srmThreshold });
      }
    }
    if (p.changed > 0) warnings.push({ code: 'value-changed', units: p.changed });
    if (p.pooled > 0) warnings.push({ code: 'values-pooled', exposures: p.pooled, maxValues: MAX_SEGMENT_VALUES });
    return { property: p.property, slices, unitsWithChangedValue: p.changed, warnings };
  });
}

const total = (units: readonly number[]) => units.reduce((sum, n) => sum + n, 0);

/** The chi-square p-value of units per variant against the weights; `null` with one weighted variant (no split). */
function sampleRatioPValue(units: readonly number[], weights: readonly number[]): number | null {
  const fit = chiSquareGoodnessOfFit(units, weights);
  return fit.df === 0 && fit.chiSquare !== Infinity ? null : fit.pValue;
}
