import { encodeUtf8IntoScratch, utf8Scratch } from './utf8.js';

// The primes as a const enum: the build inlines them as literals. As module-level constants they
// became `var`s in the bundle, which V8 reloads on every use: the hash ran 15% slower.
const enum Prime {
  P1 = -1640531535, // 0x9e3779b1
  P2 = -2048144777, // 0x85ebca77
  P3 = -1028477379, // 0xc2b2ae3d
  P4 = 668265263, // 0x27d4eb2f
  P5 = 374761393, // 0x165667b1
}
const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, Prime.P2)) | 0, 13), Prime.P1);
const readU32 = (bytes: Uint8Array, at: number): number =>
  bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);

// Tail steps both loops share. Small pure functions like these (and `round`) are inlined; only
// the character reads of the ASCII loop had to be written out (see xxhash32).
const tailLane = (h: number, lane: number): number => Math.imul(rotl((h + Math.imul(lane, Prime.P3)) | 0, 17), Prime.P4);
const tailByte = (h: number, byte: number): number => Math.imul(rotl((h + Math.imul(byte, Prime.P5)) | 0, 11), Prime.P1);
const finish = (h: number): number => {
  h = Math.imul(h ^ (h >>> 15), Prime.P2);
  h = Math.imul(h ^ (h >>> 13), Prime.P3);
  return (h ^ (h >>> 16)) >>> 0;
};

/**
 * xxHash32 of the first `length` bytes of `bytes`.
 * @internal
 */
export function xxhash32Bytes(bytes: Uint8Array, length: number, seed: number): number {
  let i = 0;
  let h = seed + Prime.P5;
  if (length >= 16) {
    let v1 = (seed + Prime.P1 + Prime.P2) | 0;
    let v2 = (seed + Prime.P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - Prime.P1) | 0;
    for (; i <= length - 16; i += 16) {
      v1 = round(v1, readU32(bytes, i));
      v2 = round(v2, readU32(bytes, i + 4));
      v3 = round(v3, readU32(bytes, i + 8));
      v4 = round(v4, readU32(bytes, i + 12));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  }
  h = (h + length) | 0;
  for (; i + 4 <= length; i += 4) h = tailLane(h, readU32(bytes, i));
  for (; i < length; i++) h = tailByte(h, bytes[i]!);
  return finish(h);
}

/**
 * xxHash32 (XXH32) of a string's UTF-8 bytes, or of raw bytes, as an unsigned 32-bit integer.
 *
 * Strings are hashed as `TextEncoder` would encode them (lone surrogates as U+FFFD), without
 * allocating: ASCII strings are read in place, others encoded into a reused buffer first.
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
  if (typeof input !== 'string') return xxhash32Bytes(input, input.length, seed | 0);
  // An ASCII string is hashed in place: its characters are its UTF-8 bytes, and skipping the copy
  // into the scratch buffer halves the time of a hash. The loop lives here, not in a helper: the
  // extra call cost 10% (the helper is too large for V8 to inline). The character reads are
  // written out: with a helper, or one body shared with the bytes path, it ran 25-35% slower
  // (V8 stops keeping `seen` in a register or stops inlining).
  const s = input;
  const length = s.length;
  let i = 0;
  let h = (seed |= 0) + Prime.P5;
  let seen = 0; // every character OR-ed in: above 0x7f means not ASCII
  let a: number, b: number, c: number, d: number;
  if (length >= 16) {
    let v1 = (seed + Prime.P1 + Prime.P2) | 0;
    let v2 = (seed + Prime.P2) | 0;
    let v3 = seed;
    let v4 = (seed - Prime.P1) | 0;
    for (; i <= length - 16; i += 16) {
      seen |= (a = s.charCodeAt(i)) | (b = s.charCodeAt(i + 1)) | (c = s.charCodeAt(i + 2)) | (d = s.charCodeAt(i + 3));
      v1 = round(v1, a | (b << 8) | (c << 16) | (d << 24));
      seen |= (a = s.charCodeAt(i + 4)) | (b = s.charCodeAt(i + 5)) | (c = s.charCodeAt(i + 6)) | (d = s.charCodeAt(i + 7));
      v2 = round(v2, a | (b << 8) | (c << 16) | (d << 24));
      seen |= (a = s.charCodeAt(i + 8)) | (b = s.charCodeAt(i + 9)) | (c = s.charCodeAt(i + 10)) | (d = s.charCodeAt(i + 11));
      v3 = round(v3, a | (b << 8) | (c << 16) | (d << 24));
      seen |= (a = s.charCodeAt(i + 12)) | (b = s.charCodeAt(i + 13)) | (c = s.charCodeAt(i + 14)) | (d = s.charCodeAt(i + 15));
      v4 = round(v4, a | (b << 8) | (c << 16) | (d << 24));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  }
  h = (h + length) | 0;
  for (; i + 4 <= length; i += 4) {
    seen |= (a = s.charCodeAt(i)) | (b = s.charCodeAt(i + 1)) | (c = s.charCodeAt(i + 2)) | (d = s.charCodeAt(i + 3));
    h = tailLane(h, a | (b << 8) | (c << 16) | (d << 24));
  }
  for (; i < length; i++) {
    seen |= a = s.charCodeAt(i);
    h = tailByte(h, a);
  }
  // Not ASCII: encode first (`seen` then holds the length), and only then fetch the scratch
  // buffer, which encoding may have replaced with a larger one.
  return seen > 0x7f ? ((seen = encodeUtf8IntoScratch(s)), xxhash32Bytes(utf8Scratch(), seen, seed)) : finish(h);
}
