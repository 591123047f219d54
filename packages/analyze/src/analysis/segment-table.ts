import { detachedCopy } from './detached-copy.js';
import { MAX_SEGMENT_VALUES } from './segment-options.js';

/** A unit whose exposures carried no value of the property. */
export const NOT_SET = -1;
/** A unit whose value came after MAX_SEGMENT_VALUES others: pooled. */
export const OTHER = -2;
/** A row no exposure gave a value to (yet). */
const UNSEEN = -3;

/** One segment property's per-unit state. */
class SegmentColumn {
  /** The distinct values, in the order met; their index is what units hold. */
  readonly names: string[] = [];
  readonly index = new Map<string, number>();
  /** Exposures whose value was pooled into OTHER (values beyond MAX_SEGMENT_VALUES). */
  pooledExposures = 0;
  /** Per row: the value of the unit's earliest exposure (an index, NOT_SET or OTHER). */
  value = new Int32Array(1024).fill(UNSEEN);
  /** Per row: the time of that exposure. */
  time = new Float64Array(1024).fill(Infinity);
  /** Per row: 1 when the unit's exposures carried different values. */
  changed = new Uint8Array(1024);

  valueIndex(text: string | undefined): number {
    if (text === undefined) return NOT_SET;
    const found = this.index.get(text);
    if (found !== undefined) return found;
    if (this.names.length >= MAX_SEGMENT_VALUES) {
      this.pooledExposures++;
      return OTHER;
    }
    const name = detachedCopy(text);
    this.index.set(name, this.names.length);
    return this.names.push(name) - 1;
  }

  grow(rows: number): void {
    let capacity = this.value.length;
    while (capacity < rows) capacity *= 2;
    const value = new Int32Array(capacity).fill(UNSEEN);
    value.set(this.value);
    const time = new Float64Array(capacity).fill(Infinity);
    time.set(this.time);
    const changed = new Uint8Array(capacity);
    changed.set(this.changed);
    [this.value, this.time, this.changed] = [value, time, changed];
  }
}

/**
 * Per unit, the value of each segment property (role, region…) that its first exposure carried:
 * the rule for a unit whose exposures disagree (a user promoted to admin mid-test stays in the
 * slice it entered with, as its assignment does) — such units are counted. Order-independent: the
 * earliest exposure wins however the lines arrive. 13 bytes per unit and property; at most
 * MAX_SEGMENT_VALUES distinct values per property, later ones pooled into OTHER and counted.
 *
 * @example
 * ```ts
 * const segments = new SegmentTable(1);
 * segments.observe(0, table.row('u1'), 'admin', Date.parse('2025-06-02T08:00:00Z'));
 * segments.valueOf(0, table.row('u1')); // 0, the index of 'admin' in segments.names(0)
 * ```
 */
export class SegmentTable {
  private readonly columns: SegmentColumn[];

  constructor(readonly count: number) {
    this.columns = Array.from({ length: count }, () => new SegmentColumn());
  }

  /** An exposure of the unit at `time` carried `text` (undefined: no value) for property `segment`. */
  observe(segment: number, row: number, text: string | undefined, time: number): void {
    const column = this.columns[segment]!;
    if (row >= column.value.length) column.grow(row + 1);
    const value = column.valueIndex(text);
    const held = column.value[row]!;
    if (held !== UNSEEN && held !== value) column.changed[row] = 1;
    if (held === UNSEEN || time < column.time[row]!) {
      column.value[row] = value;
      column.time[row] = time;
    }
  }

  /** The unit's value index (NOT_SET for a unit no exposure gave one, OTHER when pooled). */
  valueOf(segment: number, row: number): number {
    const column = this.columns[segment]!;
    const value = row < column.value.length ? column.value[row]! : UNSEEN;
    return value === UNSEEN ? NOT_SET : value;
  }

  /** Whether the unit's exposures carried different values of the property. */
  changed(segment: number, row: number): boolean {
    const column = this.columns[segment]!;
    return row < column.changed.length && column.changed[row] === 1;
  }

  /** The property's distinct values, by index. */
  names(segment: number): readonly string[] {
    return this.columns[segment]!.names;
  }

  /** Exposures whose value was pooled into OTHER. */
  pooledExposures(segment: number): number {
    return this.columns[segment]!.pooledExposures;
  }
}
