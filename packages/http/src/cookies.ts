import { checkHttpToken } from './http-token.js';
import { invalidOption } from './option-error.js';

/**
 * The longest cookie lifetime browsers keep, in seconds (Chrome caps Max-Age at 400 days).
 *
 * @example
 * ```ts
 * const cookies = { maxAge: MAX_COOKIE_AGE_SECONDS }; // as long as a browser keeps any cookie
 * ```
 */
export const MAX_COOKIE_AGE_SECONDS = 34_560_000; // 400 × 24 × 60 × 60, written out: a product would stay in a bundle that never uses it

/**
 * Attributes shared by every cookie the adapters write.
 *
 * @example
 * ```ts
 * const cookies: CookieAttributeOptions = { secure: 'auto', sameSite: 'Lax', domain: 'example.com' };
 * ```
 */
export interface CookieAttributeOptions {
  /** Default `/`. */
  readonly path?: string;
  /** Default: none (host-only cookie). */
  readonly domain?: string;
  /** Default `Lax`. `None` always adds `Secure`, as browsers require. */
  readonly sameSite?: 'Lax' | 'Strict' | 'None';
  /**
   * `'auto'` (default) adds `Secure` when the request came over HTTPS, as the framework sees it
   * (Express: `req.secure`, so behind a TLS-terminating proxy set `trust proxy`; Next.js:
   * `request.nextUrl.protocol`).
   */
  readonly secure?: boolean | 'auto';
}

/**
 * Attributes of one kind of cookie, checked: the shared ones plus its own lifetime and visibility.
 *
 * @example
 * ```ts
 * const attributes: CookieAttributes = resolveCookieAttributes('cookies', { secure: true }, undefined, { maxAge: 60, httpOnly: true });
 * attributes.suffix.https; // '; Path=/; Max-Age=60; SameSite=Lax; Secure; HttpOnly'
 * ```
 */
export interface CookieAttributes {
  readonly path: string;
  readonly domain: string | undefined;
  readonly sameSite: 'Lax' | 'Strict' | 'None';
  readonly secure: boolean | 'auto';
  readonly httpOnly: boolean;
  /** Seconds. */
  readonly maxAge: number;
  /** Everything after `name=value` over plain HTTP, and over HTTPS: built once, not per response. */
  readonly suffix: { readonly http: string; readonly https: string };
}

const PATH = /^\/[\x21-\x3a\x3c-\x7e]*$/; // visible ASCII without ';', starting with '/'
const DOMAIN = /^\.?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Validates shared attribute options plus one cookie's own lifetime and HttpOnly flag, and builds
 * the `Set-Cookie` suffixes once. A bad option throws an {@link OptionError} naming `field`.
 *
 * @param field - the option's name in messages, e.g. `cookies` or `anonymousId`
 * @example
 * ```ts
 * const variantCookie = resolveCookieAttributes('cookies', options.cookies, options.cookies, { maxAge: 30 * 24 * 60 * 60, httpOnly: true });
 * ```
 */
export function resolveCookieAttributes(
  field: string,
  shared: CookieAttributeOptions | undefined,
  own: { readonly maxAge?: number; readonly httpOnly?: boolean } | undefined,
  defaults: { readonly maxAge: number; readonly httpOnly: boolean },
): CookieAttributes {
  const path = shared?.path ?? '/';
  if (typeof path !== 'string' || !PATH.test(path)) invalidOption('cookies.path', path, 'must start with "/" and hold no ";", spaces or control characters');
  const domain = shared?.domain;
  if (domain !== undefined && (typeof domain !== 'string' || !DOMAIN.test(domain))) {
    invalidOption('cookies.domain', domain, 'must be a host name such as "example.com"');
  }
  const sameSite = shared?.sameSite ?? 'Lax';
  if (sameSite !== 'Lax' && sameSite !== 'Strict' && sameSite !== 'None') invalidOption('cookies.sameSite', sameSite, 'must be "Lax", "Strict" or "None"');
  const secure = shared?.secure ?? 'auto';
  if (secure !== true && secure !== false && secure !== 'auto') invalidOption('cookies.secure', secure, 'must be true, false or "auto"');
  if (sameSite === 'None' && secure === false) invalidOption('cookies.secure', secure, 'must not be false with sameSite "None" (browsers drop such cookies)');
  const maxAge = own?.maxAge ?? defaults.maxAge;
  if (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 1 || maxAge > MAX_COOKIE_AGE_SECONDS) {
    invalidOption(`${field}.maxAge`, maxAge, `must be a whole number of seconds from 1 to ${MAX_COOKIE_AGE_SECONDS} (400 days)`);
  }
  const httpOnly = own?.httpOnly ?? defaults.httpOnly;
  if (typeof httpOnly !== 'boolean') invalidOption(`${field}.httpOnly`, httpOnly, 'must be true or false');
  const suffixFor = (secureRequest: boolean): string => {
    let suffix = `; Path=${path}; Max-Age=${maxAge}`;
    if (domain !== undefined) suffix += `; Domain=${domain}`;
    suffix += `; SameSite=${sameSite}`;
    if (sameSite === 'None' || (secure === 'auto' ? secureRequest : secure)) suffix += '; Secure';
    if (httpOnly) suffix += '; HttpOnly';
    return suffix;
  };
  return { path, domain, sameSite, secure, httpOnly, maxAge, suffix: { http: suffixFor(false), https: suffixFor(true) } };
}

/**
 * A `Set-Cookie` value. `name` and `value` must already be HTTP tokens (checked by the caller:
 * names come from validated configuration, values from validated variants or issued ids).
 *
 * @example
 * ```ts
 * serializeCookie('exp_skill_tree_layout', 'list', attributes, true);
 * // 'exp_skill_tree_layout=list; Path=/; Max-Age=2592000; SameSite=Lax; Secure; HttpOnly'
 * ```
 */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes, secureRequest: boolean): string {
  return name + '=' + value + (secureRequest ? attributes.suffix.https : attributes.suffix.http);
}

/**
 * The value of cookie `name` in a `Cookie` request header, or `undefined`. The first occurrence
 * wins (browsers send the most specific path first). Surrounding double quotes are removed;
 * nothing is decoded, since every value the adapters accept is a plain token.
 *
 * @example
 * ```ts
 * readCookie('a=1; exp_skill_tree_layout=list', 'exp_skill_tree_layout');  // 'list'
 * ```
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  const start = valueStart(header, name);
  return start === -1 ? undefined : header!.slice(start, valueEnd);
}

/**
 * Whether cookie `name` in a `Cookie` request header reads as `value`, by the rules of
 * {@link readCookie}. Compares in place: the adapters ask this of every variant cookie on every
 * request, and a slice per cookie showed up in their profiles.
 *
 * @example
 * ```ts
 * hasCookieValue('a=1; exp_skill_tree_layout=list', 'exp_skill_tree_layout', 'list'); // true
 * hasCookieValue('exp_skill_tree_layout="tree"', 'exp_skill_tree_layout', 'list');    // false
 * ```
 */
export function hasCookieValue(header: string | undefined, name: string, value: string): boolean {
  const start = valueStart(header, name);
  return start !== -1 && valueEnd - start === value.length && header!.startsWith(value, start);
}

/** Where the value found by the last {@link valueStart} ends: returned beside it, so that finding allocates nothing. */
let valueEnd = 0;

/**
 * Where the value of the first cookie `name` starts in `header`, trimmed and unquoted, or -1;
 * its end goes to {@link valueEnd}.
 */
function valueStart(header: string | undefined, name: string): number {
  if (!header) return -1;
  // Candidates are found with indexOf, which is native; walking the header pair by pair cost
  // ~150 ns per experiment per request. A candidate is the cookie's name when only white space
  // stands between it and the start of its pair (`;` or the header's start; a value holds no `;`)
  // and between it and its `=`. (`at < header.length` ends the search for an empty name.)
  for (let at = header.indexOf(name); at !== -1; at = at < header.length ? header.indexOf(name, at + 1) : -1) {
    let start = at - 1;
    while (start >= 0 && trimmed(header.charCodeAt(start))) start--;
    if (start !== -1 && header.charCodeAt(start) !== SEMICOLON) continue;
    start = at + name.length;
    while (start < header.length && trimmed(header.charCodeAt(start))) start++;
    if (header.charCodeAt(start++) !== EQUALS) continue;
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    while (start < end && trimmed(header.charCodeAt(start))) start++;
    while (end > start && trimmed(header.charCodeAt(end - 1))) end--;
    if (end - start >= 2 && header.charCodeAt(start) === QUOTE && header.charCodeAt(end - 1) === QUOTE) {
      start++;
      end--;
    }
    valueEnd = end;
    return start;
  }
  return -1;
}

const SEMICOLON = 59;
const EQUALS = 61;
const QUOTE = 34;

/** Whether `String.prototype.trim` removes this character (white space and line terminators). */
const trimmed = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));

/**
 * Validates a cookie name option (an HTTP token of at most 128 characters); returns it.
 *
 * @example
 * ```ts
 * checkCookieName('anonymousId.cookie', 'uid'); // 'uid'
 * checkCookieName('anonymousId.cookie', 'a;b'); // throws OptionError
 * ```
 */
export const checkCookieName = (field: string, value: unknown): string => checkHttpToken(field, value, 128);
