/** Slots per page (pairs of Int32): 4 KiB a page. */
const PAGE_SLOTS = 1 << 9;
const PAGE_INTS = 2 * PAGE_SLOTS;
/**
 * A page is split when more than this many of its slots are taken: seven eighths. The probes stay
 * within a page already in cache; the pages, which fill alike, then double at 3.7 million ids
 * rather than 3.1 million (8,192 pages, 33.6 MB, for the 2.5 million of a 1 GB export).
 */
const PAGE_LIMIT = (PAGE_SLOTS * 7) >> 3;
/** Pages per slab (one Int32Array): 256 KiB a slab. */
const SLAB_BITS = 6;
const SLAB_PAGES = 1 << SLAB_BITS;

/**
 * The event ids counted so far, as their 64-bit fingerprints (`hashEventId`), in an extendible
 * hash table: a directory, indexed by a fingerprint's top bits, of pages of 512 slots (linear
 * probing within a page) kept at most seven eighths full. A full page splits in two by its next
 * bit: one new page, the old one refilled in place. Nothing is ever copied to a larger array, so
 * the set leaves no garbage behind (no old arrays waiting for a full collection) and touches one
 * page per id. Pages hold from about seven sixteenths to seven eighths of their slots: 8 bytes a
 * slot, about 9–19 bytes per id, 33.6 MB for the 2.5 million events of a 1 GB export. Two different ids share a
 * fingerprint with probability 2⁻⁶⁴ a pair: for n events about n²/2⁶⁵, one in six million for
 * 2.5 million events; such an event would be taken for a duplicate.
 *
 * @example
 * ```ts
 * const ids = new EventIdSet();
 * ids.add(0x1234, 0x5678); // true: new
 * ids.add(0x1234, 0x5678); // false: counted already
 * ```
 */
export class EventIdSet {
  /** Pages, SLAB_PAGES to an array; a page's slots are pairs (a, b), (0, 0) when empty. */
  private readonly slabs: Int32Array[] = [];
  private pageCount = 0;
  /** Per page: slots taken, and its depth (how many top bits all its fingerprints share). */
  private taken = new Int32Array(SLAB_PAGES);
  private pageDepth = new Uint8Array(SLAB_PAGES);
  /** The page of each value of a fingerprint's top `depth` bits. */
  private directory = new Int32Array(1);
  private depth = 0;
  /** A page's fingerprints while it is split. */
  private readonly scratch = new Int32Array(PAGE_INTS);
  /** Ids held. */
  size = 0;

  constructor() {
    this.newPage(0);
  }

  /** Adds the fingerprint (a, b), never (0, 0); false when it is there already. */
  add(a: number, b: number): boolean {
    const page = this.directory[this.depth === 0 ? 0 : a >>> (32 - this.depth)]!;
    if (!insert(this.slabs[page >> SLAB_BITS]!, (page & (SLAB_PAGES - 1)) * PAGE_INTS, a, b)) return false;
    this.size++;
    if (++this.taken[page]! > PAGE_LIMIT) this.split(page);
    return true;
  }

  /** Bytes held by the pages and the directory. */
  get bytes(): number {
    return this.slabs.length * SLAB_PAGES * PAGE_INTS * 4 + this.directory.byteLength;
  }

  /** Pages in use. */
  get pages(): number {
    return this.pageCount;
  }

  /** A new, empty page of the given depth; its index. */
  private newPage(depth: number): number {
    const page = this.pageCount++;
    if (page % SLAB_PAGES === 0) this.slabs.push(new Int32Array(SLAB_PAGES * PAGE_INTS));
    if (page === this.taken.length) {
      const taken = new Int32Array(page * 2);
      taken.set(this.taken);
      this.taken = taken;
      const depths = new Uint8Array(page * 2);
      depths.set(this.pageDepth);
      this.pageDepth = depths;
    }
    this.pageDepth[page] = depth;
    return page;
  }

  /** Splits a page that is too full by its fingerprints' next bit, until each half has room. */
  private split(page: number): void {
    const depth = this.pageDepth[page]!;
    // 32 top bits shared by over 448 fingerprints: not seen with a seeded hash; insert needs a free slot.
    if (depth === 32) throw new Error('event id fingerprints: over 448 share their top 32 bits');
    const slab = this.slabs[page >> SLAB_BITS]!;
    const base = (page & (SLAB_PAGES - 1)) * PAGE_INTS;
    const scratch = this.scratch;
    scratch.set(slab.subarray(base, base + PAGE_INTS));
    slab.fill(0, base, base + PAGE_INTS);

    if (depth === this.depth) this.doubleDirectory();
    const upper = this.newPage(depth + 1);
    this.pageDepth[page] = depth + 1;
    // The directory entries of the page's upper half (its next bit 1) now name the new page. The
    // page's entries are those of its fingerprints' top `depth` bits: any of them gives those.
    let held = 0;
    while (scratch[held] === 0 && scratch[held + 1] === 0) held += 2;
    const span = 1 << (this.depth - depth);
    const first = (depth === 0 ? 0 : scratch[held]! >>> (32 - depth)) * span;
    this.directory.fill(upper, first + span / 2, first + span);
    const upperSlab = this.slabs[upper >> SLAB_BITS]!;
    const upperBase = (upper & (SLAB_PAGES - 1)) * PAGE_INTS;
    let lowerCount = 0;
    let upperCount = 0;
    for (let i = 0; i < PAGE_INTS; i += 2) {
      const sa = scratch[i]!;
      const sb = scratch[i + 1]!;
      if (sa === 0 && sb === 0) continue;
      if (((sa >>> (31 - depth)) & 1) === 1) {
        insert(upperSlab, upperBase, sa, sb);
        upperCount++;
      } else {
        insert(slab, base, sa, sb);
        lowerCount++;
      }
    }
    this.taken[page] = lowerCount;
    this.taken[upper] = upperCount;
    // All to one side (rare): split that one again.
    if (lowerCount > PAGE_LIMIT) this.split(page);
    else if (upperCount > PAGE_LIMIT) this.split(upper);
  }

  private doubleDirectory(): void {
    const old = this.directory;
    const directory = new Int32Array(old.length * 2);
    for (let i = 0; i < directory.length; i++) directory[i] = old[i >> 1]!;
    this.directory = directory;
    this.depth++;
  }
}

/** Puts (a, b) in the page at `base` unless it is there; whether it was not. The page has a free slot. */
function insert(slab: Int32Array, base: number, a: number, b: number): boolean {
  for (let slot = a & (PAGE_SLOTS - 1); ; slot = (slot + 1) & (PAGE_SLOTS - 1)) {
    const i = base + (slot << 1);
    const sa = slab[i]!;
    const sb = slab[i + 1]!;
    if (sa === a && sb === b) return false;
    if (sa === 0 && sb === 0) {
      slab[i] = a;
      slab[i + 1] = b;
      return true;
    }
  }
}
