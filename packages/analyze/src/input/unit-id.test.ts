import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UNIT_ID_BYTES_PER_CHAR, writeUnitId } from './unit-id.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// Property tests of thousands of random ids: seconds of CPU, over the default 5 s on a busy machine.
useSlowTestTimeouts();

/** The id's bytes as writeUnitId writes them, at `at` in a buffer sized by MAX_UNIT_ID_BYTES_PER_CHAR. */
function bytesOf(id: string, at = 0): Buffer {
  const out = new Uint8Array(at + id.length * MAX_UNIT_ID_BYTES_PER_CHAR);
  const end = writeUnitId(id, out, at);
  expect(end).toBeLessThanOrEqual(out.length);
  return Buffer.from(out.subarray(at, end));
}

/** Ids from a few code units, lone and paired surrogates among them, so that pairs of ids often differ in one place. */
const nearbyIds = fc.string({ unit: fc.constantFrom('a', 'é', '\uffff', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d', '\ude00'), maxLength: 4 });

describe('writeUnitId', () => {
  it('writes a well-formed id as its UTF-8 bytes, so an ASCII id the scanner read is its own bytes in the line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), fc.nat(8), (id, at) => {
        expect(bytesOf(id, at).equals(Buffer.from(id, 'utf8'))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives different ids different bytes, lone surrogates included (which UTF-8 would all turn into U+FFFD)', () => {
    expect(bytesOf('id\ud800').equals(bytesOf('id\udbff'))).toBe(false);
    fc.assert(
      fc.property(nearbyIds, nearbyIds, (a, b) => {
        expect(bytesOf(a).equals(bytesOf(b))).toBe(a === b);
      }),
      { numRuns: 5000 },
    );
  });
});
