import { MAX_UNIT_ID_BYTES_PER_CHAR, writeUnitId } from '../input/unit-id.js';

/** More variants than this cannot be told apart in a unit's bit mask. */
export const MAX_VARIANTS = 32;

/** An empty slot in the hash table. */
const EMPTY = 0;

/**
 * Per-unit state for distinct units, compact because it is the one thing that grows with the
 * data. Unit ids are kept as bytes (see writeUnitId) one after another in one array, found through an
 * open-addressing hash table of row numbers: about 30 bytes per unit plus the id, where a Map
 * from id strings to rows took over 100 and was slower. Per row there is also a 4-byte variant
 * mask, an 8-byte first-exposure time and an 8-byte last-event time per tracked metric.
 * Order-independent: lines can arrive in any order and the answers are the same.
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
  private count = 0;
  private capacity = 1024;
  /** The ids, row after row. */
  private idBytes = new Uint8Array(1 << 16);
  /** Where each row's id starts in idBytes; the entry after the last row is where the next id goes. */
  private idStart = new Int32Array(this.capacity + 1);
  private idHash = new Int32Array(this.capacity);
  /** Row + 1 per slot, EMPTY when free; never more than half full. A power of two long. */
  private slots = new Int32Array(this.capacity * 2);
  /** A string id's bytes, for lookups from strings. */
  private scratch = new Uint8Array(256);
  /** Varies the hash from run to run, so no export can be crafted to make every id collide. */
  private readonly seed = (Math.random() * 0x1_0000_0000) | 0;

  /** Bit i set: exposed to variant i. */
  masks = new Uint32Array(this.capacity);
  /** Earliest exposure time, +∞ until exposed. */
  firstExposure = new Float64Array(this.capacity).fill(Infinity);
  /** Per metric: the latest time the unit had the event, −∞ if never. */
  lastEvent: Float64Array[];
  /**
   * 1 when the unit was exposed under a config version the analysis leaves out: its durations are
   * then reported as filtered by config version, not as those of a unit never exposed.
   */
  exposedInOtherVersion = new Uint8Array(this.capacity);

  constructor(readonly metricCount: number) {
    this.lastEvent = Array.from({ length: metricCount }, () => new Float64Array(this.capacity).fill(-Infinity));
  }

  /** Distinct units seen (exposed or with a tracked event). */
  get size(): number {
    return this.count;
  }

  /** The unit's row, added if new. */
  row(unit: string): number {
    const length = this.encode(unit);
    return this.rowOfBytes(this.scratch, 0, length);
  }

  /** The unit's row, or undefined if it has not been seen. */
  find(unit: string): number | undefined {
    const length = this.encode(unit);
    const row = this.findBytes(this.scratch, 0, length);
    return row < 0 ? undefined : row;
  }

  /** {@link row} for the id whose UTF-8 bytes are bytes[start, end). */
  rowOfBytes(bytes: Uint8Array, start: number, end: number): number {
    const hash = this.hash(bytes, start, end);
    const slot = this.slotOf(bytes, start, end, hash);
    const found = this.slots[slot]!;
    if (found !== EMPTY) return found - 1;
    const row = this.count++;
    if (row === this.capacity) this.grow();
    const at = this.idStart[row]!;
    const length = end - start;
    if (at + length > this.idBytes.length) {
      const grown = new Uint8Array(Math.max(this.idBytes.length * 2, at + length));
      grown.set(this.idBytes.subarray(0, at));
      this.idBytes = grown;
    }
    this.idBytes.set(bytes.subarray(start, end), at);
    this.idStart[row + 1] = at + length;
    this.idHash[row] = hash;
    this.slots[slot] = row + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return row;
  }

  /** {@link find} for the id whose UTF-8 bytes are bytes[start, end); -1 if it has not been seen. */
  findBytes(bytes: Uint8Array, start: number, end: number): number {
    return this.slots[this.slotOf(bytes, start, end, this.hash(bytes, start, end))]! - 1;
  }

  expose(row: number, variant: number, time: number): void {
    this.masks[row]! |= 1 << variant;
    if (time < this.firstExposure[row]!) this.firstExposure[row] = time;
  }

  /** The unit had an exposure of a config version the analysis leaves out. */
  exposeInOtherVersion(row: number): void {
    this.exposedInOtherVersion[row] = 1;
  }

  /** Whether the unit had any tracked event. */
  hasTrackedEvent(row: number): boolean {
    return this.lastEvent.some((times) => times[row]! > -Infinity);
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

  /** FNV-1a, seeded. */
  private hash(bytes: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5 ^ this.seed;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    return hash;
  }

  /** The slot holding the id, or the empty slot where it would go. */
  private slotOf(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === EMPTY) return slot;
      const row = entry - 1;
      if (this.idHash[row] !== hash) continue;
      const at = this.idStart[row]!;
      if (this.idStart[row + 1]! - at !== length) continue;
      const ids = this.idBytes;
      let k = 0;
      while (k < length && ids[at + k] === bytes[start + k]) k++;
      if (k === length) return slot;
    }
  }

  /** Writes the id's bytes to `scratch`, returns how many. */
  private encode(unit: string): number {
    const needed = unit.length * MAX_UNIT_ID_BYTES_PER_CHAR;
    if (needed > this.scratch.length) this.scratch = new Uint8Array(needed);
    return writeUnitId(unit, this.scratch, 0);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let row = 0; row < this.count; row++) {
      let slot = this.idHash[row]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = row + 1;
    }
    this.slots = slots;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const idStart = new Int32Array(capacity + 1);
    idStart.set(this.idStart);
    this.idStart = idStart;
    const idHash = new Int32Array(capacity);
    idHash.set(this.idHash);
    this.idHash = idHash;
    const masks = new Uint32Array(capacity);
    masks.set(this.masks);
    this.masks = masks;
    const otherVersion = new Uint8Array(capacity);
    otherVersion.set(this.exposedInOtherVersion);
    this.exposedInOtherVersion = otherVersion;
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
