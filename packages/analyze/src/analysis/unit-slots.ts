/**
 * Per series, `stride` numbers per unit (its row in the unit table), side by side in one array per
 * series (one memory access per event, where the units come in no order); the arrays grow with
 * the rows met, series are added as they are met or up front. The storage of {@link UnitValues}
 * and of CUPED's PrePeriod, which say what the slots hold.
 *
 * @example
 * ```ts
 * class Counts extends UnitSlots {
 *   constructor() { super(1); }
 *   add(series: number, row: number): void { if (row >= this.capacity) this.reserve(row); this.data[series]![row]!++; }
 * }
 * ```
 */
export class UnitSlots {
  /** Rows every series has room for. */
  protected capacity = 1024;
  /** Per series: the slots of row 0, then of row 1, … */
  protected data: Float64Array[] = [];

  constructor(protected readonly stride: number) {}

  /** Series so far. */
  get size(): number {
    return this.data.length;
  }

  /** A new series; returns its index. */
  addSeries(): number {
    this.data.push(new Float64Array(this.capacity * this.stride));
    return this.data.length - 1;
  }

  /** Makes room for `row` in every series (callers check `row >= capacity` first: the check stays inline on their hot path). */
  protected reserve(row: number): void {
    let capacity = this.capacity;
    while (capacity <= row) capacity *= 2;
    this.data = this.data.map((old) => {
      const grown = new Float64Array(capacity * this.stride);
      grown.set(old);
      return grown;
    });
    this.capacity = capacity;
  }
}
