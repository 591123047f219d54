import { detachedCopy } from './detached-copy.js';
import { MAX_UNIT_DURATION_EVENTS } from './duration-tally.js';
import { PrePeriod } from './cuped-pre-period.js';
import type { ResolvedOptions } from './options.js';
import type { UnitTable } from './unit-table.js';

/**
 * Which pre-period series CUPED keeps, and where each goes: one per success metric (its events
 * counted), one per value metric (its values summed) and one per event with unit-level durations
 * (their sum and count), met by name up to MAX_UNIT_DURATION_EVENTS, as the durations kept per unit.
 *
 * @example
 * ```ts
 * const covariates = new CupedCovariates(options, table);
 * covariates.metric(row, 0, time); // the unit had the first success metric's event at `time`
 * ```
 */
export class CupedCovariates {
  readonly prePeriod: PrePeriod;
  /** Per success metric (index in trackedEvents), its series. */
  readonly metricSeries: readonly number[];
  /** Per value series (index in options.valueSeries), its series or -1 when no value metric uses it. */
  readonly valueSeries: readonly number[];
  /** Per event name with durations, its series. */
  readonly durationSeries = new Map<string, number>();

  constructor(options: ResolvedOptions, table: UnitTable) {
    this.prePeriod = new PrePeriod(options.cupedWindowMs!, table);
    this.metricSeries = options.metrics.map(() => this.prePeriod.addSeries());
    this.valueSeries = options.valueSeries.map((_, s) => (options.values.includes(s) ? this.prePeriod.addSeries() : -1));
  }

  /** A tracked event of the unit (the prePeriod keeps it only when it came before the unit's exposure). */
  metric(row: number, metric: number, time: number): void {
    if (metric < this.metricSeries.length) this.prePeriod.add(this.metricSeries[metric]!, row, time, 1);
  }

  /** A value not attributed to an exposed unit; `row` gives (or makes) the unit's row. */
  value(series: number, row: () => number, time: number, value: number): void {
    const s = this.valueSeries[series]!;
    if (s >= 0) this.prePeriod.add(s, row(), time, value);
  }

  /** A duration not attributed to an exposed unit. */
  duration(name: string, row: () => number, time: number, value: number): void {
    let s = this.durationSeries.get(name);
    if (s === undefined) {
      if (this.durationSeries.size >= MAX_UNIT_DURATION_EVENTS) {
        this.prePeriod.counts.droppedDurations++;
        return;
      }
      s = this.prePeriod.addSeries();
      this.durationSeries.set(detachedCopy(name), s);
    }
    this.prePeriod.add(s, row(), time, value);
  }
}
