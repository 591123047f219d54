import { describeValue } from '@bucketry/core';

const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A request header's value as the text the client sent, decoded as UTF-8 (what browsers, `fetch`
 * and proxies send). Node's `http` and the `Headers` of fetch and Next give a header's bytes one
 * character each (Latin-1), so a non-ASCII `X-User-Id` such as `zoë` arrives as `zoÃ«`: read a
 * unit from a header through this, or the unit is another one than the client meant.
 *
 * - ASCII (the usual case) comes back as it is, with nothing decoded.
 * - Bytes that are not valid UTF-8 throw a `TypeError` naming the header and the value: inside
 *   an adapter's `user` or `attributes`, that is reported to `onError` and the request gets
 *   control, rather than a unit nobody meant.
 * - A value with a character above U+00FF was decoded already (it cannot be raw bytes) and comes
 *   back as it is; `null` and `undefined` give `undefined`.
 *
 * @param name - the header, for the error message
 * @example
 * ```ts
 * const experiments = createExperimentMiddleware({
 *   experiments: [skillTree],
 *   user: (req) => headerText(req.get('x-user-id'), 'X-User-Id'),
 * });
 * headerText('zo\u00c3\u00ab'); // 'zoë': the two bytes of ë, as Node hands them over
 * ```
 */
export function headerText(value: string | null | undefined, name = 'header'): string | undefined {
  if (value === null || value === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new TypeError(`${name} must be UTF-8 text, got ${describeValue(value)} (its bytes read one character each: not valid UTF-8)`);
  }
}
