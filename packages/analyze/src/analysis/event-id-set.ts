/** Slots at first: pairs of Int32 in one array. */
const INITIAL_SLOTS = 1 << 12;

/**
 * The event ids counted so far, as their 64-bit fingerprints (`hashEventId`), in an
 * open-addressing table (linear probing) kept at most three quarters full: 8 bytes a slot,
 * 11–21 bytes per id, about 40 MB for the 2.5 million events of a 1 GB export, where a Set of id
 * strings took about 100 bytes per id. Two different ids share a fingerprint with probability
 * 2⁻⁶⁴ a pair: for n events about n²/2⁶⁵, one in six million for 2.5 million events; such an
 * event would be taken for a duplicate.
 *
 * @example
 * ```ts
 * const ids = new EventIdSet();
 * ids.add(0x1234, 0x5678); // true: new
 * ids.add(0x1234, 0x5678); // false: counted already
 * ```
 */
export class EventIdSet {
  private slots = new Int32Array(2 * INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  /** Ids held. */
  size = 0;

  /** Adds the fingerprint (a, b), never (0, 0); false when it is there already. */
  add(a: number, b: number): boolean {
    const slots = this.slots;
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const i = slot << 1;
      const sa = slots[i]!;
      const sb = slots[i + 1]!;
      if (sa === a && sb === b) return false;
      if (sa === 0 && sb === 0) {
        slots[i] = a;
        slots[i + 1] = b;
        if (++this.size * 4 > (this.mask + 1) * 3) this.grow();
        return true;
      }
    }
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = (this.mask << 1) | 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i]!, old[i + 1]!);
  }
}
