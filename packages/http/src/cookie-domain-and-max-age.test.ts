import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_AGE_SECONDS, resolveCookieAttributes } from './cookies.js';

// The bounds of the cookies.domain and maxAge checks: what is accepted at each edge, and what
// is refused just past it.
const defaults = { maxAge: 3600, httpOnly: true };
const withDomain = (domain: unknown) => resolveCookieAttributes('cookies', { domain } as never, undefined, defaults);
const withMaxAge = (maxAge: unknown) => resolveCookieAttributes('anonymousId', undefined, { maxAge } as never, defaults);
const label63 = 'a'.repeat(61) + 'bc';

describe('cookies.domain', () => {
  it.each([
    'example.com',
    '.example.com', // one leading dot, as older browsers wrote it
    'localhost',
    'a',
    'a.b',
    'x1.example-site.co.uk',
    'a--b.example',
    'A.Example.COM',
    '123.example',
    `${label63}.com`, // a 63-character label, the longest DNS allows
  ])('accepts %s and writes it as the Domain', (domain) => {
    const attributes = withDomain(domain);
    expect(attributes.domain).toBe(domain);
    expect(attributes.suffix.http).toContain(`; Domain=${domain};`);
  });

  it.each([
    ['two leading dots', '..example.com'],
    ['a trailing dot', 'example.com.'],
    ['an empty label', 'example..com'],
    ['only a dot', '.'],
    ['the empty string', ''],
    ['a label starting with "-"', '-example.com'],
    ['a label ending with "-"', 'example-.com'],
    ['a last label ending with "-"', 'example.com-'],
    ['a 64-character label', `${label63}d.com`],
    ['a 64-character last label', `example.${label63}d`],
    ['an underscore', 'my_site.com'],
    ['junk before a valid name', 'evil;example.com'],
    ['junk after a valid name', 'example.com;evil'],
    ['a port', 'example.com:8080'],
    ['a URL', 'https://example.com'],
    ['a number', 42],
    ['null', null],
  ])('refuses %s, naming cookies.domain', (_name, domain) => {
    expect(() => withDomain(domain)).toThrow('cookies.domain must be a host name such as "example.com"');
  });

  it('writes no Domain when none is set (a host-only cookie)', () => {
    const attributes = withDomain(undefined);
    expect(attributes.domain).toBeUndefined();
    expect(attributes.suffix.http).not.toContain('Domain');
    expect(attributes.suffix.https).not.toContain('Domain');
  });
});

describe('maxAge', () => {
  it.each([1, 2, 60, MAX_COOKIE_AGE_SECONDS - 1, MAX_COOKIE_AGE_SECONDS])('accepts %d seconds', (maxAge) => {
    const attributes = withMaxAge(maxAge);
    expect(attributes.maxAge).toBe(maxAge);
    expect(attributes.suffix.http).toContain(`; Max-Age=${maxAge};`);
  });

  it('allows exactly 400 days', () => {
    expect(MAX_COOKIE_AGE_SECONDS).toBe(400 * 24 * 60 * 60);
  });

  it.each([0, -1, MAX_COOKIE_AGE_SECONDS + 1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '60'])('refuses %s, naming the field', (maxAge) => {
    expect(() => withMaxAge(maxAge)).toThrow(`anonymousId.maxAge must be a whole number of seconds from 1 to ${MAX_COOKIE_AGE_SECONDS} (400 days)`);
  });

  it('takes the default when the cookie sets none', () => {
    expect(withMaxAge(undefined).maxAge).toBe(3600);
  });
});
