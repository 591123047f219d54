/**
 * A uniform sample of units, with every value each sampled unit had, per series: enough to
 * estimate how much values of the same unit move together, in bounded memory. A unit is in the
 * sample when a fixed hash of its id is below a threshold; when a series holds more than
 * {@link MAX_SAMPLED_VALUES} values, the threshold halves and the units above it leave. As the
 * threshold only falls, a unit still in the sample has all its values there. The hash is fixed,
 * so the sample, and the report, are the same from run to run.
 *
 * @example
 * ```ts
 * const sample = new UnitSample();
 * const series = sample.addSeries();
 * sample.add(series, row, sampleHash(idBytes, start, end), 812);
 * ```
 */
export class UnitSample {
  private readonly series: { readonly rows: Int32Array; readonly values: Float64Array; readonly hashes: Int32Array; length: number; limit: number }[] = [];

  addSeries(): number {
    this.series.push({ rows: new Int32Array(MAX_SAMPLED_VALUES), values: new Float64Array(MAX_SAMPLED_VALUES), hashes: new Int32Array(MAX_SAMPLED_VALUES), length: 0, limit: HASH_LIMIT });
    return this.series.length - 1;
  }

  /** A value of the unit at `row`, whose id hashes to `hash` ({@link sampleHash}: compute it once per unit). */
  add(series: number, row: number, hash: number, value: number): void {
    const s = this.series[series]!;
    if (hash > s.limit) return;
    if (s.length === MAX_SAMPLED_VALUES) {
      this.halve(s);
      if (hash > s.limit) return;
    }
    const i = s.length++;
    s.rows[i] = row;
    s.values[i] = value;
    s.hashes[i] = hash;
  }

  /** The sampled values of a series, with their unit rows. */
  values(series: number): { readonly rows: Int32Array; readonly values: Float64Array } {
    const s = this.series[series]!;
    return { rows: s.rows.subarray(0, s.length), values: s.values.subarray(0, s.length) };
  }

  private halve(s: (typeof this.series)[number]): void {
    // Halve until there is room (a few units can hold most values).
    while (s.length === MAX_SAMPLED_VALUES && s.limit > 0) {
      s.limit >>= 1;
      let kept = 0;
      for (let i = 0; i < s.length; i++) {
        if (s.hashes[i]! > s.limit) continue;
        s.rows[kept] = s.rows[i]!;
        s.values[kept] = s.values[i]!;
        s.hashes[kept] = s.hashes[i]!;
        kept++;
      }
      s.length = kept;
    }
  }
}

/** Hashes run from 0 to this (30 bits: small integers to the engine); a unit is in the sample while its hash is at most the series' limit. */
const HASH_LIMIT = 2 ** 30 - 1;

/** Values kept per series: 16 bytes each (a unit row, the value, the unit's hash), allocated up front (256 KiB). */
export const MAX_SAMPLED_VALUES = 1 << 14;

/**
 * The hash that decides whether a unit is in the sample, from its id's bytes: FNV-1a with a fixed
 * seed, then a final mix (so the low and high bits both spread); its top 30 bits.
 */
export function sampleHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 2;
}
