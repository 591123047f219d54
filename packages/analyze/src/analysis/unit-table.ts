/** More variants than this cannot be told apart in a unit's bit mask. */
export const MAX_VARIANTS = 32;

/**
 * Per-unit state for distinct units, compact because it is the one thing that grows with the
 * data: a Map from unit id to a row, and per row a 4-byte variant mask, an 8-byte first-exposure
 * time and an 8-byte last-event time per tracked metric. Order-independent: lines can arrive in
 * any order and the answers are the same.
 *
 * @example
 * ```ts
 * const table = new UnitTable(1);
 * table.expose(table.row('u1'), 0, Date.parse('2025-06-02T08:00:00Z'));
 * table.track(table.row('u1'), 0, Date.parse('2025-06-02T08:05:00Z'));
 * table.converted(table.row('u1'), 0); // true
 * ```
 */
export class UnitTable {
  private readonly rows = new Map<string, number>();
  private capacity = 1024;
  /** Bit i set: exposed to variant i. */
  masks = new Uint32Array(this.capacity);
  /** Earliest exposure time, +∞ until exposed. */
  firstExposure = new Float64Array(this.capacity).fill(Infinity);
  /** Per metric: the latest time the unit had the event, −∞ if never. */
  lastEvent: Float64Array[];

  constructor(readonly metricCount: number) {
    this.lastEvent = Array.from({ length: metricCount }, () => new Float64Array(this.capacity).fill(-Infinity));
  }

  /** Distinct units seen (exposed or with a tracked event). */
  get size(): number {
    return this.rows.size;
  }

  /** The unit's row, added if new. */
  row(unit: string): number {
    let row = this.rows.get(unit);
    if (row === undefined) {
      row = this.rows.size;
      if (row === this.capacity) this.grow();
      this.rows.set(unit, row);
    }
    return row;
  }

  /** The unit's row, or undefined if it has not been seen. */
  find(unit: string): number | undefined {
    return this.rows.get(unit);
  }

  expose(row: number, variant: number, time: number): void {
    this.masks[row]! |= 1 << variant;
    if (time < this.firstExposure[row]!) this.firstExposure[row] = time;
  }

  track(row: number, metric: number, time: number): void {
    const last = this.lastEvent[metric]!;
    if (time > last[row]!) last[row] = time;
  }

  /** Whether the unit had the metric's event at or after its first exposure. */
  converted(row: number, metric: number): boolean {
    return this.lastEvent[metric]![row]! >= this.firstExposure[row]!;
  }

  /** The single variant the unit was exposed to, -1 if none, -2 if more than one. */
  variantOf(row: number): number {
    const mask = this.masks[row]!;
    if (mask === 0) return -1;
    if ((mask & (mask - 1)) !== 0) return -2;
    return 31 - Math.clz32(mask);
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const masks = new Uint32Array(capacity);
    masks.set(this.masks);
    this.masks = masks;
    const first = new Float64Array(capacity).fill(Infinity);
    first.set(this.firstExposure);
    this.firstExposure = first;
    this.lastEvent = this.lastEvent.map((old) => {
      const grown = new Float64Array(capacity).fill(-Infinity);
      grown.set(old);
      return grown;
    });
    this.capacity = capacity;
  }
}
