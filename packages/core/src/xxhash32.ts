import { encodeUtf8IntoScratch, utf8Scratch } from './utf8.js';

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;
const P5 = 0x165667b1 | 0;

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number): number => Math.imul(rotl((acc + Math.imul(lane, P2)) | 0, 13), P1);
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
    for (; i <= length - 16; i += 16) {
      v1 = round(v1, readU32(bytes, i));
      v2 = round(v2, readU32(bytes, i + 4));
      v3 = round(v3, readU32(bytes, i + 8));
      v4 = round(v4, readU32(bytes, i + 12));
    }
    h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
  } else {
    h = seed + P5;
  }
  h = (h + length) | 0;
  for (; i + 4 <= length; i += 4) h = Math.imul(rotl((h + Math.imul(readU32(bytes, i), P3)) | 0, 17), P4);
  for (; i < length; i++) h = Math.imul(rotl((h + Math.imul(bytes[i]!, P5)) | 0, 11), P1);
  h = Math.imul(h ^ (h >>> 15), P2);
  h = Math.imul(h ^ (h >>> 13), P3);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * xxHash32 (XXH32) of a string's UTF-8 bytes, or of raw bytes, as an unsigned 32-bit integer.
 *
 * Strings are hashed as `TextEncoder` would encode them (lone surrogates as U+FFFD), without
 * allocating: they are encoded into a reused buffer, ASCII one byte per character.
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
  return typeof input === 'string'
    ? xxhash32Bytes(utf8Scratch(), encodeUtf8IntoScratch(input), seed | 0)
    : xxhash32Bytes(input, input.length, seed | 0);
}
