import { encodeUtf8IntoScratch, utf8Scratch } from './utf8.js';

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;
const P5 = 0x165667b1 | 0;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, P2)) | 0, 13), P1);

function avalanche(h: number): number {
  h = Math.imul(h ^ (h >>> 15), P2);
  h = Math.imul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}

const readU32 = (bytes: Uint8Array, at: number): number =>
  bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);

/**
 * xxHash32 of the first `length` bytes of `bytes`.
 * @internal
 */
export function xxhash32Bytes(bytes: Uint8Array, length: number, seed: number): number {
  let i = 0;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    for (const limit = length - 16; i <= limit; i += 16) {
      v1 = round(v1, readU32(bytes, i));
      v2 = round(v2, readU32(bytes, i + 4));
      v3 = round(v3, readU32(bytes, i + 8));
      v4 = round(v4, readU32(bytes, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + length) | 0;
  for (; i + 4 <= length; i += 4) h = Math.imul(rotl((h + Math.imul(readU32(bytes, i), P3)) | 0, 17), P4);
  for (; i < length; i++) h = Math.imul(rotl((h + Math.imul(bytes[i]!, P5)) | 0, 11), P1);
  return avalanche(h);
}

// Four code units as a little-endian word; only meaningful when all four are ASCII.
const readAsciiU32 = (s: string, at: number): number =>
  s.charCodeAt(at) | (s.charCodeAt(at + 1) << 8) | (s.charCodeAt(at + 2) << 16) | (s.charCodeAt(at + 3) << 24);

// Ors four code units together: above 0x7f means one of them is not ASCII.
const orAscii = (s: string, at: number): number =>
  s.charCodeAt(at) | s.charCodeAt(at + 1) | s.charCodeAt(at + 2) | s.charCodeAt(at + 3);

/**
 * xxHash32 straight off the UTF-16 code units of an ASCII string (where they equal the
 * UTF-8 bytes), or -1 when the string holds a non-ASCII code unit.
 */
function xxhash32Ascii(s: string, seed: number): number {
  const length = s.length;
  let i = 0;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    for (const limit = length - 16; i <= limit; i += 16) {
      if ((orAscii(s, i) | orAscii(s, i + 4) | orAscii(s, i + 8) | orAscii(s, i + 12)) > 0x7f) return -1;
      v1 = round(v1, readAsciiU32(s, i));
      v2 = round(v2, readAsciiU32(s, i + 4));
      v3 = round(v3, readAsciiU32(s, i + 8));
      v4 = round(v4, readAsciiU32(s, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + length) | 0;
  for (; i + 4 <= length; i += 4) {
    if (orAscii(s, i) > 0x7f) return -1;
    h = Math.imul(rotl((h + Math.imul(readAsciiU32(s, i), P3)) | 0, 17), P4);
  }
  for (; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    h = Math.imul(rotl((h + Math.imul(c, P5)) | 0, 11), P1);
  }
  return avalanche(h);
}

/**
 * xxHash32 (XXH32) of a string's UTF-8 bytes, or of raw bytes, as an unsigned 32-bit integer.
 *
 * Strings are hashed as `TextEncoder` would encode them (lone surrogates as U+FFFD), without
 * allocating: ASCII is read in place, anything else is encoded into a reused buffer.
 *
 * @param input - the text or bytes to hash
 * @param seed - an unsigned 32-bit seed (default 0); other numbers are taken modulo 2^32
 * @returns the hash, from 0 to 4294967295
 * @example
 * ```ts
 * import { xxhash32 } from '@bucketry/core';
 * xxhash32('user-42');        // same value as XXH32("user-42", 0) in any language
 * xxhash32('user-42', 7);     // another seed, an independent hash
 * ```
 */
export function xxhash32(input: string | Uint8Array, seed = 0): number {
  const s = seed | 0;
  if (typeof input === 'string') {
    const ascii = xxhash32Ascii(input, s);
    if (ascii >= 0) return ascii;
    const length = encodeUtf8IntoScratch(input);
    return xxhash32Bytes(utf8Scratch(), length, s);
  }
  return xxhash32Bytes(input, input.length, s);
}
