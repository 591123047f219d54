import { checkCookieName, resolveCookieAttributes, type CookieAttributeOptions, type CookieAttributes } from './cookies.js';
import { invalidOption } from './option-error.js';

/**
 * The anonymous-id cookie's default name.
 *
 * @example
 * ```ts
 * res.clearCookie(DEFAULT_ANONYMOUS_ID_COOKIE); // on sign-out, to start a fresh anonymous identity
 * ```
 */
export const DEFAULT_ANONYMOUS_ID_COOKIE = 'bucketry_uid';

/** One year (365 × 24 × 60 × 60 seconds), written out: a product would stay in a bundle that never uses it. */
const ONE_YEAR = 31_536_000;

/**
 * The anonymous-id cookie: who a visitor is until they sign in.
 *
 * @example
 * ```ts
 * const anonymousId: AnonymousIdOptions = { cookie: 'uid', maxAge: 90 * 24 * 60 * 60 };
 * ```
 */
export interface AnonymousIdOptions {
  /** Default `bucketry_uid`. */
  readonly cookie?: string;
  /** Seconds. Default one year. */
  readonly maxAge?: number;
  /** Default `true`: page scripts cannot read it. */
  readonly httpOnly?: boolean;
}

/**
 * The anonymous-id cookie, checked: its name and attributes.
 *
 * @example
 * ```ts
 * const cookie: UnitCookie = resolveUnitCookie({ cookie: 'uid' }, undefined)!;
 * cookie.name; // 'uid'
 * ```
 */
export interface UnitCookie {
  readonly name: string;
  readonly attributes: CookieAttributes;
}

// The ids the adapters issue: lowercase RFC 9562 version-4 UUIDs. Anything else in the cookie
// was not issued here (tampered, truncated, from another library) and is replaced.
const ANONYMOUS_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Whether a cookie value is an anonymous id the adapters could have issued.
 *
 * @example
 * ```ts
 * isAnonymousId('1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b');  // true
 * isAnonymousId('admin');                                   // false
 * ```
 */
export const isAnonymousId = (value: string | undefined): value is string => value !== undefined && ANONYMOUS_ID.test(value);

// Web Crypto's randomUUID is global in Node 20, browsers and edge runtimes, so no node:crypto
// import; the check gives a clear error where it is missing (Node 18 without a flag).
interface RandomUuidHost {
  readonly crypto?: { randomUUID?: () => string };
}

/**
 * A new anonymous id: a random version-4 UUID from Web Crypto (122 random bits, so issued ids
 * never collide in practice).
 *
 * @example
 * ```ts
 * const id = newAnonymousId();  // e.g. '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b'
 * ```
 */
export function newAnonymousId(): string {
  const crypto = (globalThis as RandomUuidHost).crypto;
  if (typeof crypto?.randomUUID !== 'function') throw new Error('crypto.randomUUID is missing: anonymous ids need Node 20 or later, a browser or an edge runtime');
  return crypto.randomUUID();
}

/**
 * Validates the anonymous-id options; `false` turns anonymous ids off (`undefined` is returned).
 *
 * @param shared - the attributes every cookie shares (`cookies` option)
 * @example
 * ```ts
 * const unitCookie = resolveUnitCookie(options.anonymousId, options.cookies); // bucketry_uid, one year, HttpOnly
 * ```
 */
export function resolveUnitCookie(options: AnonymousIdOptions | false | undefined, shared: CookieAttributeOptions | undefined): UnitCookie | undefined {
  if (options === false) return undefined;
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    invalidOption('anonymousId', options, 'must be an object of cookie options, or false');
  }
  return {
    name: checkCookieName('anonymousId.cookie', options?.cookie ?? DEFAULT_ANONYMOUS_ID_COOKIE),
    attributes: resolveCookieAttributes('anonymousId', shared, options, { maxAge: ONE_YEAR, httpOnly: true }),
  };
}
