import { describe, expect, it } from 'vitest';
import { checkHttpToken, isHttpToken } from './http-token.js';

// The token check that every header and cookie name or value passes: its length limit is
// inclusive, and only strings pass.
describe('isHttpToken', () => {
  it('accepts a token of exactly the maximum length, and refuses one longer', () => {
    expect(isHttpToken('x'.repeat(256))).toBe(true);
    expect(isHttpToken('x'.repeat(257))).toBe(false);
    expect(isHttpToken('x'.repeat(128), 128)).toBe(true);
    expect(isHttpToken('x'.repeat(129), 128)).toBe(false);
    expect(isHttpToken('x', 1)).toBe(true);
  });

  it('refuses values that are not strings, even ones that print as a token', () => {
    for (const value of [['list'], { toString: () => 'list' }, 42, null, undefined]) expect(isHttpToken(value), String(value)).toBe(false);
  });

  it('refuses the empty string', () => {
    expect(isHttpToken('')).toBe(false);
  });
});

describe('checkHttpToken', () => {
  it('returns a token of exactly the maximum length, and names the field for a longer one', () => {
    expect(checkHttpToken('qaOverrides.header', 'h'.repeat(64), 64)).toBe('h'.repeat(64));
    expect(() => checkHttpToken('qaOverrides.header', 'h'.repeat(65), 64)).toThrow('qaOverrides.header must be 1-64 characters');
  });
});
