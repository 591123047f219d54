import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasCookieValue, readCookie, resolveCookieAttributes, serializeCookie, MAX_COOKIE_AGE_SECONDS } from './cookies.js';

const defaults = { maxAge: 3600, httpOnly: true };

describe('resolveCookieAttributes', () => {
  it('defaults to what a production site expects: Path=/, SameSite=Lax, Secure when the request is HTTPS', () => {
    expect(resolveCookieAttributes('cookies', undefined, undefined, defaults)).toEqual({
      path: '/',
      domain: undefined,
      sameSite: 'Lax',
      secure: 'auto',
      httpOnly: true,
      maxAge: 3600,
      suffix: { http: '; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly', https: '; Path=/; Max-Age=3600; SameSite=Lax; Secure; HttpOnly' },
    });
  });

  it('takes the cookie’s own lifetime and HttpOnly over the defaults', () => {
    const attributes = resolveCookieAttributes('cookies', { domain: 'example.com', sameSite: 'Strict', secure: true }, { maxAge: 60, httpOnly: false }, defaults);
    expect(attributes).toMatchObject({ domain: 'example.com', sameSite: 'Strict', secure: true, httpOnly: false, maxAge: 60 });
  });

  it.each([
    [{ path: 'no-slash' }, undefined, 'cookies.path must start with "/"'],
    [{ path: '/a;b' }, undefined, 'cookies.path'],
    [{ domain: 'exa mple.com' }, undefined, 'cookies.domain must be a host name'],
    [{ domain: 'evil.com; HttpOnly' }, undefined, 'cookies.domain'],
    [{ sameSite: 'lax' }, undefined, 'cookies.sameSite must be "Lax", "Strict" or "None", got "lax"'],
    [{ secure: 'yes' }, undefined, 'cookies.secure must be true, false or "auto", got "yes"'],
    [{ sameSite: 'None', secure: false }, undefined, 'cookies.secure must not be false with sameSite "None"'],
    [undefined, { maxAge: 0 }, 'cookies.maxAge must be a whole number of seconds from 1'],
    [undefined, { maxAge: 1.5 }, 'got 1.5'],
    [undefined, { maxAge: MAX_COOKIE_AGE_SECONDS + 1 }, `got ${MAX_COOKIE_AGE_SECONDS + 1}`],
    [undefined, { httpOnly: 'true' }, 'cookies.httpOnly must be true or false, got "true"'],
  ] as const)('rejects %j %j naming the field and the value', (shared, own, message) => {
    expect(() => resolveCookieAttributes('cookies', shared as never, own as never, defaults)).toThrow(message);
  });
});

describe('serializeCookie', () => {
  const base = resolveCookieAttributes('cookies', undefined, undefined, defaults);

  it('writes Path, Max-Age, SameSite and HttpOnly, and Secure only over HTTPS when secure is "auto"', () => {
    expect(serializeCookie('exp_a', 'list', base, false)).toBe('exp_a=list; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly');
    expect(serializeCookie('exp_a', 'list', base, true)).toBe('exp_a=list; Path=/; Max-Age=3600; SameSite=Lax; Secure; HttpOnly');
  });

  it('honours secure true and false whatever the request', () => {
    const always = resolveCookieAttributes('c', { secure: true }, { httpOnly: false }, defaults);
    const never = resolveCookieAttributes('c', { secure: false }, undefined, defaults);
    expect(serializeCookie('n', 'v', always, false)).toBe('n=v; Path=/; Max-Age=3600; SameSite=Lax; Secure');
    expect(serializeCookie('n', 'v', never, true)).toBe('n=v; Path=/; Max-Age=3600; SameSite=Lax; HttpOnly');
  });

  it('always adds Secure to SameSite=None, which browsers otherwise drop', () => {
    const none = resolveCookieAttributes('c', { sameSite: 'None' }, undefined, defaults);
    expect(serializeCookie('n', 'v', none, false)).toContain('; SameSite=None; Secure');
  });

  it('writes a Domain when one is set', () => {
    const shared = resolveCookieAttributes('c', { domain: '.example.com', path: '/app' }, undefined, defaults);
    expect(serializeCookie('n', 'v', shared, false)).toBe('n=v; Path=/app; Max-Age=3600; Domain=.example.com; SameSite=Lax; HttpOnly');
  });
});

describe('readCookie', () => {
  it('finds a cookie among others, trimming spaces', () => {
    expect(readCookie('a=1;  exp_skill_tree_layout=list ; b=2', 'exp_skill_tree_layout')).toBe('list');
  });

  it('takes the first of duplicates, as browsers send the most specific path first', () => {
    expect(readCookie('x=first; x=second', 'x')).toBe('first');
  });

  it('strips surrounding quotes and otherwise keeps the raw text', () => {
    expect(readCookie('x="list"', 'x')).toBe('list');
    expect(readCookie('x=li%73t', 'x')).toBe('li%73t');
  });

  it('does not match a cookie whose name merely ends or starts with the name', () => {
    expect(readCookie('my_x=1; x_y=2', 'x')).toBeUndefined();
  });

  it('returns undefined without a header, and skips fragments without "="', () => {
    expect(readCookie(undefined, 'x')).toBeUndefined();
    expect(readCookie('', 'x')).toBeUndefined();
    expect(readCookie('garbage; x=1', 'x')).toBe('1');
    expect(readCookie('x', 'x')).toBeUndefined();
  });

  it('reads an empty value as empty', () => {
    expect(readCookie('x=; y=2', 'x')).toBe('');
  });

  it('trims names exactly as String.prototype.trim does, and no more', () => {
    expect(readCookie('\u00a0x\t=1', 'x')).toBe('1');
    expect(readCookie('\u0001x=1', 'x')).toBeUndefined();
    expect(readCookie('x\u200b=1', 'x')).toBeUndefined(); // a zero-width space is not white space
  });

  // The reader compares names in place; this is the plain reading it must agree with.
  const bySlicing = (header: string, name: string): string | undefined => {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq !== -1 && pair.slice(0, eq).trim() === name) {
        const value = pair.slice(eq + 1).trim();
        return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
      }
    }
    return undefined;
  };

  it('agrees with reading each pair by slicing and trimming, on any header', () => {
    const piece = fc.constantFrom('x', 'xy', 'y', '=', ';', ' ', '\t', '\u00a0', '\u3000', '\u0001', '"', 'list', 'é');
    const header = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(header, fc.constantFrom('x', 'xy', 'y', ''), (text, name) => {
        expect(readCookie(text, name)).toBe(bySlicing(text, name));
      }),
      { seed: 20261121, numRuns: 5000 },
    );
  });
});

describe('hasCookieValue', () => {
  it('compares the value as readCookie reads it: trimmed, unquoted, first occurrence', () => {
    expect(hasCookieValue('a=1;  exp_skill_tree_layout= list ; b=2', 'exp_skill_tree_layout', 'list')).toBe(true);
    expect(hasCookieValue('x="list"', 'x', 'list')).toBe(true);
    expect(hasCookieValue('x=first; x=second', 'x', 'second')).toBe(false);
    expect(hasCookieValue('x=lists', 'x', 'list')).toBe(false);
    expect(hasCookieValue('x=lis', 'x', 'list')).toBe(false);
    expect(hasCookieValue('my_x=list', 'x', 'list')).toBe(false);
    expect(hasCookieValue(undefined, 'x', '')).toBe(false);
    expect(hasCookieValue('x=; y=2', 'x', '')).toBe(true);
    expect(hasCookieValue('x=""', 'x', '')).toBe(true);
    expect(hasCookieValue('x="', 'x', '"')).toBe(true);
  });

  it('agrees with readCookie on any header and value', () => {
    const piece = fc.constantFrom('x', 'xy', 'y', '=', ';', ' ', '\t', '\u00a0', '\u3000', '\u0001', '"', 'list', 'é');
    const header = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));
    const value = fc.constantFrom('', 'x', 'y', 'list', '"', '"list"', ' list', 'xy');
    fc.assert(
      fc.property(header, fc.constantFrom('x', 'xy', 'y', ''), value, (text, name, wanted) => {
        expect(hasCookieValue(text, name, wanted)).toBe(readCookie(text, name) === wanted);
      }),
      { seed: 20261122, numRuns: 10000 },
    );
  });
});
