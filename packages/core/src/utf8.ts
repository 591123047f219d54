/**
 * UTF-8 encoding into a reusable scratch buffer, so that hashing a string allocates nothing
 * once the buffer has grown to the longest input seen. Lone surrogates become U+FFFD
 * (EF BF BD), exactly as `TextEncoder` does.
 */

// Pure: a bundler may drop it (see bundle-size.test.ts on modules doing nothing on import).
let scratch = /* @__PURE__ */ new Uint8Array(256);

/** The buffer last written by {@link encodeUtf8IntoScratch}; valid until the next call. */
export const utf8Scratch = (): Uint8Array => scratch;

/** Makes room for `size` bytes, keeping what is there, and returns the buffer. */
function reserve(size: number): Uint8Array {
  if (size > scratch.length) {
    const grown = new Uint8Array(Math.max(size, scratch.length * 2));
    grown.set(scratch);
    scratch = grown;
  }
  return scratch;
}

/** Writes one byte at `at` and returns the next offset. */
export const putByte = (at: number, byte: number): number => {
  reserve(at + 1)[at] = byte;
  return at + 1;
};

/**
 * Writes the UTF-8 bytes of `input` into the scratch buffer starting at `offset`
 * and returns the offset after the last byte written.
 */
export function encodeUtf8IntoScratch(input: string, offset = 0): number {
  // A UTF-16 code unit never takes more than 3 bytes, so one reservation covers the loop.
  const buf = reserve(offset + input.length * 3);
  let at = offset;
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    if (code < 0x80) {
      buf[at++] = code; // the ASCII fast path
      continue;
    }
    code = input.codePointAt(i)!;
    if (code > 0xffff) i++; // a surrogate pair: one code point, two code units
    else if (code >= 0xd800 && code < 0xe000) code = 0xfffd; // a lone surrogate, as TextEncoder does
    if (code < 0x800) {
      buf[at++] = 0xc0 | (code >> 6);
    } else {
      if (code < 0x10000) {
        buf[at++] = 0xe0 | (code >> 12);
      } else {
        buf[at++] = 0xf0 | (code >> 18);
        buf[at++] = 0x80 | ((code >> 12) & 0x3f);
      }
      buf[at++] = 0x80 | ((code >> 6) & 0x3f);
    }
    buf[at++] = 0x80 | (code & 0x3f);
  }
  return at;
}
