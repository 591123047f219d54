import { describe, expect, it } from 'vitest';
import { sameBytes, staffTokenMatches } from './token-match.js';

const TOKEN = 'staff-token-of-32-characters-xyz';

describe('staffTokenMatches', () => {
  it('refuses every request when no token is configured: unset, null or empty', () => {
    for (const expected of [undefined, null, '']) {
      for (const given of [undefined, null, '', 'anything', TOKEN]) expect(staffTokenMatches(given, expected), `${given} against ${expected}`).toBe(false);
    }
  });

  it('accepts the configured token, non-ASCII included', () => {
    expect(staffTokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(staffTokenMatches('jeton-été-🔑', 'jeton-été-🔑')).toBe(true);
  });

  it('refuses a different token, a prefix, a longer one, a case change, a missing one and a non-string', () => {
    for (const given of ['staff-token-of-32-characters-xyZ', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), '', undefined, null, [TOKEN], 42]) {
      expect(staffTokenMatches(given, TOKEN), String(given)).toBe(false);
    }
  });
});

describe('sameBytes', () => {
  it('is true only for equal lengths and equal bytes, wherever they differ', () => {
    const a = new Uint8Array([1, 2, 3, 4]);
    expect(sameBytes(a, new Uint8Array([1, 2, 3, 4]))).toBe(true);
    for (let i = 0; i < 4; i++) {
      const b = a.slice();
      b[i] = b[i]! ^ 0x80;
      expect(sameBytes(a, b), `byte ${i}`).toBe(false);
    }
    expect(sameBytes(a, a.subarray(0, 3))).toBe(false);
    expect(sameBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3, 0]))).toBe(false);
    expect(sameBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});
