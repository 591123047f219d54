/** Most bytes {@link writeUnitId} writes per UTF-16 code unit of the id. */
export const MAX_UNIT_ID_BYTES_PER_CHAR = 3;

/**
 * Writes a unit id as bytes at `out[at]` and returns where it ends: UTF-8, and WTF-8 for a lone
 * surrogate, so that two different ids never have the same bytes. An id the line scanner read
 * (ASCII, no escapes) is its own bytes in the line. `out` needs
 * {@link MAX_UNIT_ID_BYTES_PER_CHAR} bytes per character of the id.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(64);
 * writeUnitId('żółw', out, 0); // 7
 * ```
 */
export function writeUnitId(unit: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < unit.length; i++) {
    let c = unit.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
      continue;
    }
    if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
      continue;
    }
    const next = unit.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      i++;
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
    } else {
      // Any other code unit, a lone surrogate too, as three bytes.
      out[at++] = 0xe0 | (c >> 12);
    }
    out[at++] = 0x80 | ((c >> 6) & 0x3f);
    out[at++] = 0x80 | (c & 0x3f);
  }
  return at;
}
