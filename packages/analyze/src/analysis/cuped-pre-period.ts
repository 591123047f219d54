import type { UnitTable } from './unit-table.js';
import { UnitSlots } from './unit-slots.js';

/** Floats per unit and series: sum, count, earliest and latest time of the events summed. */
const STRIDE = 4;

/**
 * What happened to pre-exposure events, for the report: nothing is dropped unseen.
 *
 * @example
 * ```ts
 * const { inWindow, olderThanWindow } = prePeriod.counts;
 * ```
 */
export interface PrePeriodCounts {
  /** Events in the window before their unit's first exposure: the covariates. */
  inWindow: number;
  /** Events more than the window before their unit's first exposure: left out. */
  olderThanWindow: number;
  /**
   * Events left out with the stretch of a unit's pre-exposure events they were kept in, because
   * the stretch began before the window (see {@link PrePeriod}): some of them were in the window.
   */
  straddlingWindowStart: number;
  /**
   * Units whose pre-period was cleared because an exposure read later came earlier than
   * events already counted (an export out of time order): their covariate is 0.
   */
  resetUnits: number;
  /** Pre-period durations of event names beyond the first MAX_UNIT_DURATION_EVENTS: left out. */
  droppedDurations: number;
}

/**
 * CUPED's covariates: per unit and series (a success metric's event, an event's durations, a value
 * metric's property), the sum and count of the unit's events in the window before its first
 * exposure. 32 bytes per unit and series.
 *
 * The exposure that starts the window may come after the events (an export in time order puts it
 * there), so a unit not yet exposed keeps one run of events spanning at most the window: an event
 * more than the window after the run's first one starts a new run, since in time order the
 * exposure comes later still and the older events cannot fall in its window. On exposure, a run
 * inside the window becomes the covariate; one wholly before it is left out as older than the
 * window, and one that begins before the window and ends in it is left out whole (its events in
 * the window cannot be told from those before it), counted as straddling the window's start. So
 * the covariate is exact for every unit whose pre-exposure events within the window are not
 * preceded, less than the window earlier, by events before it. Any of these choices keeps CUPED unbiased: the covariate only uses events from before
 * the exposure, which the assignment cannot have touched; a lost event only costs precision.
 *
 * @example
 * ```ts
 * const prePeriod = new PrePeriod(14 * 86_400_000, table);
 * const views = prePeriod.addSeries();
 * prePeriod.add(views, row, Date.parse('2025-06-01T08:00:00Z'), 1); // before the unit's exposure
 * prePeriod.beforeExposure(row, Date.parse('2025-06-02T08:00:00Z'));
 * prePeriod.count(views, row); // 1
 * ```
 */
export class PrePeriod extends UnitSlots {
  readonly counts: PrePeriodCounts = { inWindow: 0, olderThanWindow: 0, straddlingWindowStart: 0, resetUnits: 0, droppedDurations: 0 };

  constructor(
    readonly windowMs: number,
    private readonly table: UnitTable,
  ) {
    super(STRIDE);
  }

  /** An event of the unit at `time`, with `value` (1 for an event counted), read before or without the unit's exposure. */
  add(series: number, row: number, time: number, value: number): void {
    const first = this.table.firstExposure[row]!;
    if (time >= first) return;
    if (row >= this.capacity) this.reserve(row);
    const data = this.data[series]!;
    const at = row * STRIDE;
    if (first !== Infinity) {
      // The window is known: the event is in it or not.
      if (time < first - this.windowMs) {
        this.counts.olderThanWindow++;
        return;
      }
      this.counts.inWindow++;
    } else if (data[at + 1]! > 0) {
      if (time - data[at + 2]! > this.windowMs) {
        this.counts.olderThanWindow += data[at + 1]!;
        data[at] = 0;
        data[at + 1] = 0;
        data[at + 2] = time;
        data[at + 3] = time;
      } else if (data[at + 3]! - time > this.windowMs) {
        // Out of time order and too old for any exposure after the run's latest event.
        this.counts.olderThanWindow++;
        return;
      }
    } else {
      data[at + 2] = time;
      data[at + 3] = time;
    }
    data[at]! += value;
    data[at + 1]!++;
    if (time < data[at + 2]!) data[at + 2] = time;
    if (time > data[at + 3]!) data[at + 3] = time;
  }

  /** Call before the unit's counted exposure at `time` is applied to the unit table. */
  beforeExposure(row: number, time: number): void {
    const first = this.table.firstExposure[row]!;
    if (time >= first || row >= this.capacity) return;
    const at = row * STRIDE;
    let reset = false;
    for (const data of this.data) {
      const count = data[at + 1]!;
      if (count === 0) continue;
      if (first === Infinity) {
        // The unit's run: inside the window, it is the covariate; otherwise left out whole.
        if (data[at + 2]! >= time - this.windowMs && data[at + 3]! < time) {
          this.counts.inWindow += count;
          continue;
        }
        if (data[at + 3]! < time - this.windowMs) this.counts.olderThanWindow += count;
        else this.counts.straddlingWindowStart += count;
      } else {
        // An earlier exposure, read late: what was counted may now be after it.
        if (data[at + 3]! < time) continue;
        this.counts.inWindow -= count;
        reset = true;
      }
      data[at] = 0;
      data[at + 1] = 0;
    }
    if (reset) this.counts.resetUnits++;
  }

  /** The unit's pre-period sum in a series (0 without events). */
  sum(series: number, row: number): number {
    return row < this.capacity ? this.data[series]![row * STRIDE]! : 0;
  }

  /** The unit's pre-period events in a series. */
  count(series: number, row: number): number {
    return row < this.capacity ? this.data[series]![row * STRIDE + 1]! : 0;
  }
}
