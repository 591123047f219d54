import { sha256 } from './sha256.js';

const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * Whether two byte arrays are equal, in a time that depends only on their lengths (which must be
 * public, as a digest's or a signature's are): every byte is compared, with no early exit. For
 * adapters checking a signature; to check a token, use {@link staffTokenMatches}.
 *
 * @example
 * ```ts
 * const valid = sameBytes(sign(utf8.encode(value)), givenSignature);
 * ```
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * Whether a token sent with a request (a staff header, a bearer token) is the one configured,
 * compared in constant time, for gating QA overrides and internal routes. Refuses when no token
 * is configured (`expected` undefined, null or empty), so an unset environment variable never
 * opens the gate, and when none was sent. Both sides are hashed (SHA-256 of their UTF-8 bytes)
 * and the digests compared byte by byte with no early exit: the time taken says nothing about
 * the token, not even its length. Edge-safe (no Node built-in).
 *
 * @param given - what the request sent, e.g. `req.get('x-staff-token')`; anything but a non-empty string refuses
 * @param expected - the configured token, e.g. `process.env.STAFF_TOKEN`
 * @example
 * ```ts
 * const experiments = createExperimentMiddleware({
 *   experiments: [skillTree],
 *   qaOverrides: { enabled: true, allow: (req) => staffTokenMatches(req.get('x-staff-token'), process.env.STAFF_TOKEN) },
 * });
 * staffTokenMatches('s3cret-token', undefined);      // false: no token configured
 * staffTokenMatches('s3cret-token', 's3cret-token'); // true
 * ```
 */
export function staffTokenMatches(given: unknown, expected: string | null | undefined): boolean {
  if (typeof expected !== 'string' || expected === '' || typeof given !== 'string' || given === '') return false;
  return sameBytes(sha256(utf8.encode(given)), sha256(utf8.encode(expected)));
}
