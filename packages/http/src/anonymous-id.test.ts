import { describe, expect, it } from 'vitest';
import { DEFAULT_ANONYMOUS_ID_COOKIE, isAnonymousId, newAnonymousId, resolveUnitCookie } from './anonymous-id.js';

describe('anonymous ids', () => {
  it('issues distinct version-4 UUIDs that it recognises as its own', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newAnonymousId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isAnonymousId(id)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'admin',
    'user-42',
    '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633',
    '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633bb',
    '1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B',
    '1b4e28ba-2fa1-1d3b-a3f5-ef19b5a7633b',
    '1b4e28ba-2fa1-4d3b-c3f5-ef19b5a7633b',
    ' 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b',
    '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b\n',
  ])('does not accept %j as one of its ids', (value) => {
    expect(isAnonymousId(value)).toBe(false);
  });
});

describe('resolveUnitCookie', () => {
  it('defaults to bucketry_uid for a year, HttpOnly', () => {
    const cookie = resolveUnitCookie(undefined, undefined)!;
    expect(cookie.name).toBe(DEFAULT_ANONYMOUS_ID_COOKIE);
    expect(cookie.attributes).toMatchObject({ maxAge: 365 * 24 * 60 * 60, httpOnly: true, path: '/', sameSite: 'Lax' });
  });

  it('is off with false', () => {
    expect(resolveUnitCookie(false, undefined)).toBeUndefined();
  });

  it('takes its own name, lifetime and HttpOnly, and the shared attributes', () => {
    const cookie = resolveUnitCookie({ cookie: 'uid', maxAge: 60, httpOnly: false }, { secure: true, domain: 'example.com' })!;
    expect(cookie).toEqual({
      name: 'uid',
      attributes: expect.objectContaining({ path: '/', domain: 'example.com', sameSite: 'Lax', secure: true, httpOnly: false, maxAge: 60 }),
    });
  });

  it.each([
    [{ cookie: 'has space' }, 'anonymousId.cookie must be 1-128 characters'],
    [{ cookie: 'a;b' }, 'got "a;b"'],
    [{ cookie: '' }, 'anonymousId.cookie'],
    [{ maxAge: -1 }, 'anonymousId.maxAge must be a whole number of seconds'],
    ['yes', 'anonymousId must be an object of cookie options, or false, got "yes"'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveUnitCookie(options as never, undefined)).toThrow(message);
  });
});
