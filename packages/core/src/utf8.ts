/**
 * UTF-8 encoding into a reusable scratch buffer, so that hashing a string
 * allocates nothing once the buffer has grown to the longest input seen.
 * Lone surrogates become U+FFFD (EF BF BD), exactly as `TextEncoder` does.
 */

let scratch = new Uint8Array(256);

/** The buffer last written by {@link encodeUtf8IntoScratch}; valid until the next call. */
export function utf8Scratch(): Uint8Array {
  return scratch;
}

/** Makes sure the scratch buffer can take `extra` more bytes after `used`, keeping what is there. */
export function reserveScratch(used: number, extra: number): Uint8Array {
  if (used + extra > scratch.length) {
    const grown = new Uint8Array(Math.max(scratch.length * 2, used + extra));
    grown.set(scratch.subarray(0, used));
    scratch = grown;
  }
  return scratch;
}

/**
 * Writes the UTF-8 bytes of `input` into the scratch buffer starting at `offset`
 * and returns the offset after the last byte written.
 */
export function encodeUtf8IntoScratch(input: string, offset = 0): number {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
  const buf = reserveScratch(offset, input.length * 3);
  let at = offset;
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    if (code < 0x80) {
      buf[at++] = code;
    } else if (code < 0x800) {
      buf[at++] = 0xc0 | (code >> 6);
      buf[at++] = 0x80 | (code & 0x3f);
    } else {
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = i + 1 < input.length ? input.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buf[at++] = 0xf0 | (code >> 18);
          buf[at++] = 0x80 | ((code >> 12) & 0x3f);
          buf[at++] = 0x80 | ((code >> 6) & 0x3f);
          buf[at++] = 0x80 | (code & 0x3f);
          continue;
        }
        code = 0xfffd;
      }
      buf[at++] = 0xe0 | (code >> 12);
      buf[at++] = 0x80 | ((code >> 6) & 0x3f);
      buf[at++] = 0x80 | (code & 0x3f);
    }
  }
  return at;
}
