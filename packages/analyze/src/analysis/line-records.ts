import { MAX_UNIT_ID_BYTES_PER_CHAR, writeUnitId } from '../input/unit-id.js';
import { hashEventId } from './event-id-hash.js';

/** What a record says about one line (a line can give two: a metric event with a duration). */
export const RecordKind = {
  /** a: category (string), b: message (string). */
  Bad: 1,
  /** An exposure to this experiment. a: variant index, b: config version (string); unit; time. */
  Exposure: 2,
  /** An exposure to another experiment. a: its name (string). */
  OtherExperiment: 3,
  /** A tracked event. a: metric index; unit; time. */
  Metric: 4,
  /** A duration. a: event name (string), b: index in DURATION_FIELDS; unit; time; value. */
  Duration: 5,
  /** A value of a series kept per unit (options.valueSeries). a: series index; unit; time; value. */
  Value: 6,
  /**
   * A segment property's value on the exposure just before it (only with `segments`). a: segment
   * index, b: the value (string), or -1 when the exposure does not carry it; time. No unit: the
   * exposure's.
   */
  SegmentValue: 7,
} as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/**
 * Int32 fields per record: kind, line (within the block, from 0), a, b, unit start, unit end, and
 * the event id's fingerprint (two halves, see hashEventId; 0 and 0 when the event has no id).
 */
const INTS = 8;
/** Float64 fields per record: time, value. */
const FLOATS = 2;
/** How far back {@link LineRecords.string} looks for the same text. */
const RECENT_STRINGS = 8;

/** A LineRecords as posted between threads: plain arrays and transferable buffers. */
export interface LineRecordsMessage {
  readonly count: number;
  readonly ints: Int32Array<ArrayBuffer>;
  readonly floats: Float64Array<ArrayBuffer>;
  readonly unitBytes: Uint8Array<ArrayBuffer>;
  readonly strings: string[];
  readonly counts: Int32Array<ArrayBuffer>;
}

/** Positions in LineRecords.counts. */
export const Count = { Lines: 0, BlankLines: 1, UnrelatedLines: 2, Events: 3, Segment: 4, Amplitude: 5, Bucketry: 6 } as const;

/**
 * What the classifier found in a block of lines, in line order, for the accumulator to apply:
 * the part of reading an export that needs no state, so it can run on worker threads. Compact
 * typed arrays that grow as needed and move between threads without copying; strings (rare, or
 * short) in a plain array; unit ids as bytes; event ids as fingerprints, which the accumulator
 * checks for copies (see DuplicateEvents).
 *
 * @example
 * ```ts
 * const records = new LineRecords();
 * records.add(RecordKind.Metric, 0, 1, 0, 1748851200000, 0);
 * records.count; // 1
 * ```
 */
export class LineRecords {
  count = 0;
  ints = new Int32Array(1024 * INTS);
  floats = new Float64Array(1024 * FLOATS);
  unitBytes = new Uint8Array(1 << 16);
  unitBytesUsed = 0;
  strings: string[] = [];
  /** Line counts of the block, by {@link Count}. */
  counts = new Int32Array(7);
  /** An id's bytes while it is hashed. */
  private idScratch = new Uint8Array(256);

  /** Adds a record; returns its index. Give it a unit with {@link setUnitBytes} or {@link setUnitId}. */
  add(kind: RecordKind, line: number, a: number, b: number, time: number, value: number): number {
    const index = this.count++;
    if (index * INTS === this.ints.length) this.grow();
    const i = index * INTS;
    this.ints[i] = kind;
    this.ints[i + 1] = line;
    this.ints[i + 2] = a;
    this.ints[i + 3] = b;
    this.ints[i + 4] = 0;
    this.ints[i + 5] = 0;
    this.ints[i + 6] = 0;
    this.ints[i + 7] = 0;
    this.floats[index * FLOATS] = time;
    this.floats[index * FLOATS + 1] = value;
    return index;
  }

  /**
   * Keeps a string with the records; returns its index. The same text as one of the last few
   * kept shares its index: a block's config versions and event names repeat, and every string
   * costs when the records move between threads.
   */
  string(text: string): number {
    const strings = this.strings;
    for (let i = strings.length - 1; i >= 0 && i >= strings.length - RECENT_STRINGS; i--) if (strings[i] === text) return i;
    return strings.push(text) - 1;
  }

  /** The unit of record `index`: the id's bytes, copied from bytes[start, end). */
  setUnitBytes(index: number, bytes: Uint8Array, start: number, end: number): void {
    const at = this.reserveUnitBytes(end - start);
    for (let k = start; k < end; k++) this.unitBytes[at + k - start] = bytes[k]!;
    this.unitBytesUsed = at + end - start;
    this.ints[index * INTS + 4] = at;
    this.ints[index * INTS + 5] = this.unitBytesUsed;
  }

  /** The unit of record `index`, from the id (see writeUnitId). */
  setUnitId(index: number, unit: string): void {
    const at = this.reserveUnitBytes(unit.length * MAX_UNIT_ID_BYTES_PER_CHAR);
    this.unitBytesUsed = writeUnitId(unit, this.unitBytes, at);
    this.ints[index * INTS + 4] = at;
    this.ints[index * INTS + 5] = this.unitBytesUsed;
  }

  /**
   * Gives the records from `first` to the last added (one line's) the event id whose bytes are
   * bytes[start, end), as its fingerprint under `seed`.
   */
  setEventIdBytes(first: number, bytes: Uint8Array, start: number, end: number, seed: number): void {
    const ints = this.ints;
    hashEventId(bytes, start, end, seed, ints, first * INTS + 6);
    for (let r = first + 1; r < this.count; r++) {
      ints[r * INTS + 6] = ints[first * INTS + 6]!;
      ints[r * INTS + 7] = ints[first * INTS + 7]!;
    }
  }

  /** {@link setEventIdBytes} for an id read by JSON.parse, from its bytes (see writeUnitId). */
  setEventId(first: number, id: string, seed: number): void {
    if (this.idScratch.length < id.length * MAX_UNIT_ID_BYTES_PER_CHAR) this.idScratch = new Uint8Array(id.length * MAX_UNIT_ID_BYTES_PER_CHAR);
    this.setEventIdBytes(first, this.idScratch, 0, writeUnitId(id, this.idScratch, 0), seed);
  }

  hasEventId(index: number): boolean {
    return this.ints[index * INTS + 6] !== 0 || this.ints[index * INTS + 7] !== 0;
  }
  eventIdA(index: number): number {
    return this.ints[index * INTS + 6]!;
  }
  eventIdB(index: number): number {
    return this.ints[index * INTS + 7]!;
  }

  /** Adds a bad line: why, as a short category and the full message. */
  addBad(line: number, category: string, message: string): void {
    this.add(RecordKind.Bad, line, this.string(category), this.string(message), 0, 0);
  }

  kind(index: number): RecordKind {
    return this.ints[index * INTS]! as RecordKind;
  }
  line(index: number): number {
    return this.ints[index * INTS + 1]!;
  }
  a(index: number): number {
    return this.ints[index * INTS + 2]!;
  }
  b(index: number): number {
    return this.ints[index * INTS + 3]!;
  }
  unitStart(index: number): number {
    return this.ints[index * INTS + 4]!;
  }
  unitEnd(index: number): number {
    return this.ints[index * INTS + 5]!;
  }
  time(index: number): number {
    return this.floats[index * FLOATS]!;
  }
  value(index: number): number {
    return this.floats[index * FLOATS + 1]!;
  }

  /** Empties it for the next block, keeping the memory. */
  clear(): void {
    this.count = 0;
    this.unitBytesUsed = 0;
    this.strings = [];
    this.counts.fill(0);
  }

  /** The records as a message, and the buffers to transfer with it (they leave this object). */
  toMessage(): { message: LineRecordsMessage; transfer: ArrayBuffer[] } {
    const message: LineRecordsMessage = { count: this.count, ints: this.ints, floats: this.floats, unitBytes: this.unitBytes, strings: this.strings, counts: this.counts };
    return { message, transfer: [this.ints.buffer, this.floats.buffer, this.unitBytes.buffer, this.counts.buffer] };
  }

  /** Records posted by {@link toMessage}. */
  static fromMessage(message: LineRecordsMessage): LineRecords {
    const records = new LineRecords();
    records.count = message.count;
    records.ints = message.ints;
    records.floats = message.floats;
    records.unitBytes = message.unitBytes;
    records.strings = message.strings;
    records.counts = message.counts;
    return records;
  }

  private reserveUnitBytes(length: number): number {
    const at = this.unitBytesUsed;
    if (at + length > this.unitBytes.length) {
      const grown = new Uint8Array(Math.max(this.unitBytes.length * 2, at + length));
      grown.set(this.unitBytes.subarray(0, at));
      this.unitBytes = grown;
    }
    return at;
  }

  private grow(): void {
    const ints = new Int32Array(this.ints.length * 2);
    ints.set(this.ints);
    this.ints = ints;
    const floats = new Float64Array(this.floats.length * 2);
    floats.set(this.floats);
    this.floats = floats;
  }
}
