/** Independent tables, chosen by a fingerprint's top bits: each grows on its own, so growing copies a 64th of the ids at a time. */
const SHARD_BITS = 6;
/** Slots per table at first: pairs of Int32 in one array. */
const INITIAL_SLOTS = 1 << 8;

/**
 * The event ids counted so far, as their 64-bit fingerprints (`hashEventId`), in open-addressing
 * tables (linear probing) kept at most three quarters full: 8 bytes a slot, 11–21 bytes per id,
 * 34 MB for the 2.5 million events of a 1 GB export, where a Set of id strings took about 100
 * bytes per id. The ids are spread over 64 tables by their top bits, so a table that grows
 * copies a 64th of them, and holds its old and new arrays at once for that 64th only. Two
 * different ids share a fingerprint with probability 2⁻⁶⁴ a pair: for n events about n²/2⁶⁵,
 * one in six million for 2.5 million events; such an event would be taken for a duplicate.
 *
 * @example
 * ```ts
 * const ids = new EventIdSet();
 * ids.add(0x1234, 0x5678); // true: new
 * ids.add(0x1234, 0x5678); // false: counted already
 * ```
 */
export class EventIdSet {
  private readonly tables = Array.from({ length: 1 << SHARD_BITS }, () => new Int32Array(2 * INITIAL_SLOTS));
  private readonly sizes = new Int32Array(1 << SHARD_BITS);
  /** Ids held. */
  size = 0;

  /** Adds the fingerprint (a, b), never (0, 0); false when it is there already. */
  add(a: number, b: number): boolean {
    const shard = a >>> (32 - SHARD_BITS);
    if (!insert(this.tables[shard]!, a, b)) return false;
    this.size++;
    const slots = this.tables[shard]!.length >> 1;
    if (++this.sizes[shard]! * 4 > slots * 3) this.tables[shard] = grown(this.tables[shard]!);
    return true;
  }

  /** Bytes held by the tables. */
  get bytes(): number {
    return this.tables.reduce((sum, table) => sum + table.byteLength, 0);
  }
}

/** Puts (a, b) in the table unless it is there; whether it was not. The table has a free slot. */
function insert(table: Int32Array, a: number, b: number): boolean {
  const mask = (table.length >> 1) - 1;
  for (let slot = a & mask; ; slot = (slot + 1) & mask) {
    const i = slot << 1;
    const sa = table[i]!;
    const sb = table[i + 1]!;
    if (sa === a && sb === b) return false;
    if (sa === 0 && sb === 0) {
      table[i] = a;
      table[i + 1] = b;
      return true;
    }
  }
}

/** The table's fingerprints in one twice as large. */
function grown(table: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(table.length * 2);
  for (let i = 0; i < table.length; i += 2) if (table[i] !== 0 || table[i + 1] !== 0) insert(larger, table[i]!, table[i + 1]!);
  // Hands the old memory to a new, short-lived owner, which the next minor collection frees:
  // left to the old array, long-lived, it stayed until a full collection, often the end of the
  // run (2.5 million ids: 66 MB of arrays where 34 MB were in use).
  structuredClone(table.buffer, { transfer: [table.buffer] });
  return larger;
}
