import { invalidOption } from './option-error.js';

/**
 * An RFC 9110 token: what a header name may be, and a set of characters that is also safe, unquoted and
 * unencoded, as a cookie name or value (it has no space, `"`, `,`, `;` or `\`).
 */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Whether `value` is a non-empty RFC 9110 token of at most `maxLength` characters: safe, as is, as
 * a header name, a header value, a cookie name or a cookie value.
 *
 * @example
 * ```ts
 * isHttpToken('list');          // true
 * isHttpToken('a b');           // false
 * isHttpToken('x'.repeat(300)); // false (longer than 256)
 * ```
 */
export const isHttpToken = (value: unknown, maxLength = 256): value is string =>
  typeof value === 'string' && value.length <= maxLength && TOKEN.test(value);

/**
 * Checks a name that will be written into a header or a cookie; returns it, or throws an
 * `OptionError` naming the field.
 *
 * @example
 * ```ts
 * const header = checkHttpToken('qaOverrides.header', 'x-bucketry-override', 64);
 * ```
 */
export function checkHttpToken(field: string, value: unknown, maxLength = 256): string {
  if (!isHttpToken(value, maxLength)) {
    invalidOption(field, value, `must be 1-${maxLength} characters of letters, digits and !#$%&'*+.^_\`|~-`);
  }
  return value;
}
