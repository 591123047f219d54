import { hmacSha256, OptionError, sameBytes } from '@bucketry/http';
import { PACKAGE_NAME } from './package-name.js';

// The forwarded assignments are signed, so that a page believes only what this app's proxy
// decided: on a route outside the proxy's matcher (or wherever the proxy was skipped) a client's
// own `x-bucketry-assignments` reaches the page untouched. HMAC-SHA-256 with a deployment secret
// that the proxy and the pages share. They may run in different runtimes and processes (Edge
// middleware, a serverless proxy), so a per-process random key would fail wherever they run
// apart: without a secret nothing is trusted.

/** The environment variable the secret is read from when the `secret` option is not given. */
const SECRET_ENV = 'BUCKETRY_SECRET';
/** The shortest secret accepted: 32 characters, e.g. 24 random bytes in base64. */
const MIN_SECRET_LENGTH = 32;
/** A signature's length: 32 bytes in base64, with its padding. */
const SIGNATURE_LENGTH = 44;

/** Signs the header's value, and opens a signed one. */
export interface ForwardedSignature {
  /** `<signature>.<value>`. */
  sign(value: string): string;
  /** The value of a header this app's proxy signed; `undefined` for anything else. */
  open(signed: string): string | undefined;
}

const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * The signature of the `secret` option, else of `BUCKETRY_SECRET`. A short one throws an
 * `OptionError` (naming its length, never the secret). Neither given: the error, not thrown, for
 * every request to report (see proxy.ts: control for all); `next build` loads the app without its
 * runtime environment, so a missing secret cannot fail at start-up.
 */
export function resolveSignature(secret: unknown): ForwardedSignature | OptionError {
  // null is refused, not read as absent (docs/spec.md), so that it never falls back to the environment.
  const key = secret === undefined ? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[SECRET_ENV] : secret;
  const rule = `must be a string of at least ${MIN_SECRET_LENGTH} characters, the same for the proxy and the pages: the proxy signs what it forwards with it`;
  if (key === undefined || key === '') return new OptionError('secret', key, `(or ${SECRET_ENV}) ${rule}; until then every request gets control`, PACKAGE_NAME);
  if (typeof key !== 'string' || key.length < MIN_SECRET_LENGTH) {
    throw new OptionError(secret === undefined ? SECRET_ENV : 'secret', typeof key === 'string' ? `${key.length} characters` : key, rule, PACKAGE_NAME);
  }
  const mac = hmacSha256(utf8.encode(key));
  const signatureOf = (value: string): string => btoa(String.fromCharCode(...mac(utf8.encode(value))));
  return {
    sign: (value) => `${signatureOf(value)}.${value}`,
    open: (signed) => {
      const value = signed.slice(SIGNATURE_LENGTH + 1);
      return signed.charAt(SIGNATURE_LENGTH) === '.' && sameBytes(utf8.encode(signed.slice(0, SIGNATURE_LENGTH)), utf8.encode(signatureOf(value))) ? value : undefined;
    },
  };
}
