/**
 * An RFC 9110 token: what a header name may be, and a set of characters that is also safe, unquoted and
 * unencoded, as a cookie name or value (it has no space, `"`, `,`, `;` or `\`).
 */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `value` is a non-empty RFC 9110 token of at most `maxLength` characters. */
export const isHttpToken = (value: unknown, maxLength = 256): value is string =>
  typeof value === 'string' && value.length <= maxLength && TOKEN.test(value);

/** A short, safe rendering of a bad option value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Throws a TypeError naming the option, the value and the rule: how every bad option of this
 * package is reported, at start-up rather than on some later request.
 */
export function invalidOption(field: string, value: unknown, rule: string): never {
  throw new TypeError(`@bucketry/express: ${field} ${rule}, got ${describeValue(value)}`);
}

/** Checks a name that will be written into a header or a cookie; returns it. */
export function checkHttpToken(field: string, value: unknown, maxLength = 256): string {
  if (!isHttpToken(value, maxLength)) {
    invalidOption(field, value, `must be 1-${maxLength} characters of letters, digits and !#$%&'*+.^_\`|~-`);
  }
  return value;
}
