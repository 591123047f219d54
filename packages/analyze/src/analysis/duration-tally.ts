import { QuantileSketch } from '@bucketry/stats';
import { DURATION_FIELDS } from '../input/export-event.js';
import { detachedCopy } from './detached-copy.js';
import { sampleHash, UnitSample } from './unit-sample.js';
import { UnitValues } from './unit-values.js';

/** Distinct events whose durations are kept; later ones are counted and dropped. */
export const MAX_DURATION_EVENTS = 64;
/**
 * Of those, the first events whose durations are also kept per unit (24 bytes per unit each: a
 * sum, a count and the unit's sample hash, see UnitValues), for the unit-level means and tests;
 * the others get percentiles only.
 */
export const MAX_UNIT_DURATION_EVENTS = 16;

/** Durations of one event, per variant. */
export interface DurationSeries {
  /** The property the durations came from (the first one seen). */
  readonly field: string;
  /** One sketch per variant. */
  readonly byVariant: QuantileSketch[];
  /** Its series in {@link DurationTally.unitValues} (each unit's sum and count of durations); -1 beyond MAX_UNIT_DURATION_EVENTS. */
  readonly unitSeries: number;
}

/**
 * The durations of an export (`duration_ms`, `latency_ms`) as they are attributed: per event name,
 * a sketch per variant, and for the first {@link MAX_UNIT_DURATION_EVENTS} names each unit's sum and
 * count and a sample of whole units; the ones not attributed counted by why, those of names beyond
 * {@link MAX_DURATION_EVENTS} counted and dropped. Which unit and variant a duration is of is the
 * caller's to say (the accumulator as the lines stream, the SQL engines in SQL).
 *
 * @example
 * ```ts
 * const durations = new DurationTally(2);
 * durations.add('skill_tree_loaded', 0, 1, row, 812, idBytes, 0, idBytes.length); // duration_ms, variant 1
 * durations.countUnattributed(-1, false); // a duration of a unit never exposed
 * ```
 */
export class DurationTally {
  /** Per event name, in the order met. */
  readonly series = new Map<string, DurationSeries>();
  /** Per unit, per event with unit-level durations: the sum and count of the unit's durations. */
  readonly unitValues = new UnitValues(true);
  /** A sample of whole units with all their durations, per event (its unitSeries), for the percentiles' intervals. */
  readonly sample = new UnitSample();
  /** Durations from units not (yet) exposed, from units in several variants, or from before exposure. */
  unattributed = 0;
  /** {@link unattributed} by why. */
  readonly unattributedReasons = { otherConfigVersion: 0, notExposed: 0, inSeveralVariants: 0, beforeExposure: 0 };
  /** Durations of events beyond the first {@link MAX_DURATION_EVENTS} names, dropped. */
  dropped = 0;

  constructor(private readonly variantCount: number) {}

  /**
   * Counts a duration not attributed, by why: `variant` is the unit's by then (-2 several, -1
   * none, else the event came before its first exposure); `otherVersion` when it was exposed
   * only under a config version left out.
   */
  countUnattributed(variant: number, otherVersion: boolean): void {
    this.unattributed++;
    const reasons = this.unattributedReasons;
    if (variant === -2) reasons.inSeveralVariants++;
    else if (variant >= 0) reasons.beforeExposure++;
    else if (otherVersion) reasons.otherConfigVersion++;
    else reasons.notExposed++;
  }

  /** Keeps a duration of unit `row` (its id's UTF-8 bytes are unitBytes[start, end)) attributed to `variant`; `field` indexes DURATION_FIELDS. */
  add(name: string, field: number, variant: number, row: number, value: number, unitBytes: Uint8Array, start: number, end: number): void {
    let series = this.series.get(name);
    if (series === undefined) {
      if (this.series.size >= MAX_DURATION_EVENTS) {
        this.dropped++;
        return;
      }
      series = {
        field: DURATION_FIELDS[field]!,
        byVariant: Array.from({ length: this.variantCount }, () => new QuantileSketch()),
        unitSeries: this.unitValues.size < MAX_UNIT_DURATION_EVENTS ? this.unitValues.addSeries() : -1,
      };
      if (series.unitSeries >= 0) this.sample.addSeries();
      this.series.set(detachedCopy(name), series);
    }
    series.byVariant[variant]!.add(value);
    if (series.unitSeries >= 0) {
      this.unitValues.add(series.unitSeries, row, value);
      let hash = this.unitValues.key(series.unitSeries, row);
      if (hash < 0) this.unitValues.setKey(series.unitSeries, row, (hash = sampleHash(unitBytes, start, end)));
      this.sample.add(series.unitSeries, row, hash, value);
    }
  }
}
