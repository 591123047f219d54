import { UnitSlots } from './unit-slots.js';

/**
 * Per unit and per series (an event's numeric property, a duration, a count of events): the sum
 * of the unit's values and how many there were, so that every unit counts once in the analysis
 * however many events it has. Both sit side by side in one array per series (one memory access
 * per value, where the units come in no order), 16 bytes per unit and series, or 24 with `keys`:
 * a third slot for a number the caller keeps per unit (the sample's hash of its id). The arrays
 * grow with the rows of the unit table; series are added as they are met (durations) or up front.
 *
 * @example
 * ```ts
 * const values = new UnitValues();
 * const cost = values.addSeries();
 * values.add(cost, table.row('u1'), 0.25);
 * values.add(cost, table.row('u1'), 0.75);
 * [values.sum(cost, 0), values.count(cost, 0)]; // [1, 2]
 * ```
 */
export class UnitValues extends UnitSlots {
  /** Per series the slots of a row are: sum, count (and key). */
  constructor(keys = false) {
    super(keys ? 3 : 2);
  }

  add(series: number, row: number, value: number): void {
    if (row >= this.capacity) this.reserve(row);
    const data = this.data[series]!;
    const at = row * this.stride;
    data[at]! += value;
    data[at + 1]!++;
  }

  /** The unit's count in a series (0 for a row beyond those seen). */
  count(series: number, row: number): number {
    return row < this.capacity ? this.data[series]![row * this.stride + 1]! : 0;
  }

  /** The unit's sum in a series (0 for a row beyond those seen). */
  sum(series: number, row: number): number {
    return row < this.capacity ? this.data[series]![row * this.stride]! : 0;
  }

  /** The unit's mean in a series (its sum over its count); undefined without values. */
  mean(series: number, row: number): number | undefined {
    const count = this.count(series, row);
    return count > 0 ? this.sum(series, row) / count : undefined;
  }

  /** The key kept for the unit (with `keys`), -1 until set. */
  key(series: number, row: number): number {
    return row < this.capacity ? this.data[series]![row * this.stride + 2]! - 1 : -1;
  }

  /** Keeps a non-negative key for the unit (with `keys`). */
  setKey(series: number, row: number, key: number): void {
    if (row >= this.capacity) this.reserve(row);
    this.data[series]![row * this.stride + 2] = key + 1;
  }
}
