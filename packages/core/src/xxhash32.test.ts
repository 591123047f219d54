import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import XXH from 'xxhashjs';
import { xxhash32 } from './xxhash32.js';

const oracle = (input: string | Uint8Array, seed: number): number =>
  XXH.h32(typeof input === 'string' ? input : Buffer.from(input), seed).toNumber();

const seeds = fc.integer({ min: 0, max: 0xffffffff });
const encoder = new TextEncoder();

describe('xxhash32', () => {
  it('matches the published XXH32 test values', () => {
    // Values from the xxHash reference implementation's sanity checks.
    expect(xxhash32('')).toBe(0x02cc5d05);
    expect(xxhash32('', 0x9e3779b1)).toBe(0x36b78ae7);
    expect(xxhash32('a')).toBe(0x550d7456);
    expect(xxhash32('abc')).toBe(0x32d153ff);
  });

  it('equals xxhashjs on well-formed unicode strings of every length class', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), seeds, (s, seed) => {
        expect(xxhash32(s, seed)).toBe(oracle(s, seed));
      }),
      { numRuns: 3000, seed: 20261121 },
    );
  });

  it('equals xxhashjs on ASCII strings around the 16-byte stripe boundary', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', minLength: 12, maxLength: 40 }), seeds, (s, seed) => {
        expect(xxhash32(s, seed)).toBe(oracle(s, seed));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('falls back to UTF-8 wherever the first non-ASCII character sits (stripe, tail word or tail byte)', () => {
    // ASCII strings are read in place; one character outside ASCII, at any position of any
    // length, must send the whole string through the UTF-8 path.
    for (const odd of ['\u0080', '\u00ff', '\u0100', '\u07ff', '\u20ac', '\ud83d\ude00', '\udc00']) {
      for (let length = 1; length <= 40; length++) {
        for (let at = 0; at < length; at++) {
          const s = 'a'.repeat(at) + odd + 'b'.repeat(length - at - 1);
          expect(xxhash32(s, 9), JSON.stringify(s)).toBe(oracle(encoder.encode(s), 9));
        }
      }
    }
  });

  it('hashes lone surrogates as U+FFFD, like TextEncoder (compared with xxhashjs over its bytes)', () => {
    const withLoneSurrogates = fc
      .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))), { maxLength: 12 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(withLoneSurrogates, seeds, (s, seed) => {
        expect(xxhash32(s, seed)).toBe(oracle(encoder.encode(s), seed));
      }),
      { numRuns: 3000, seed: 11 },
    );
    expect(xxhash32('\ud800')).toBe(xxhash32('\ufffd'));
  });

  it('hashes bytes and their string the same way', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), seeds, (s, seed) => {
        expect(xxhash32(encoder.encode(s), seed)).toBe(xxhash32(s, seed));
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it('takes seeds modulo 2^32', () => {
    expect(xxhash32('user-1', 2 ** 32 + 5)).toBe(xxhash32('user-1', 5));
    expect(xxhash32('user-1', -1)).toBe(xxhash32('user-1', 0xffffffff));
  });

  it('does not let a long non-ASCII string corrupt the next ASCII hash (scratch reuse)', () => {
    const before = xxhash32('user-42', 1);
    xxhash32('ü'.repeat(5000), 1);
    expect(xxhash32('user-42', 1)).toBe(before);
    expect(xxhash32('é'.repeat(20), 1)).toBe(oracle('é'.repeat(20), 1));
  });
});
