/**
 * A bad option, found at start-up: the message names the option, the value and the rule, e.g.
 * `cookies.sameSite must be "Lax", "Strict" or "None", got "lax"`. The adapters put their package
 * name in front (`@bucketry/express: cookies.sameSite ...`).
 *
 * @example
 * ```ts
 * try {
 *   resolveCookieAttributes('cookies', { sameSite: 'lax' as never }, undefined, { maxAge: 60, httpOnly: true });
 * } catch (error) {
 *   if (error instanceof OptionError) console.error(error.field, error.rule); // 'cookies.sameSite', 'must be "Lax", ...'
 * }
 * ```
 */
export class OptionError extends TypeError {
  override name = 'OptionError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`${field} ${rule}, got ${describeValue(value)}`);
  }
}

/**
 * A short, safe rendering of a bad value for an error message: strings quoted and cut at 80
 * characters, objects and functions named rather than printed.
 *
 * @example
 * ```ts
 * describeValue('lax');       // '"lax"'
 * describeValue({ a: 1 });    // 'an object'
 * describeValue(() => {});    // 'a function'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Throws an {@link OptionError}: how every bad option is reported, at start-up rather than on
 * some later request.
 *
 * @example
 * ```ts
 * if (typeof options.user !== 'function') invalidOption('user', options.user, 'must be a function');
 * // OptionError: user must be a function, got "x-user-id"
 * ```
 */
export function invalidOption(field: string, value: unknown, rule: string): never {
  throw new OptionError(field, value, rule);
}

/**
 * Runs an adapter's start-up checks; an {@link OptionError} they throw gets the adapter's package
 * name in front of its message, so the user sees which package complained.
 *
 * @example
 * ```ts
 * const settings = withPackageName('@bucketry/next', () => resolveHttpSettings('@bucketry/next', options, access));
 * ```
 */
export function withPackageName<T>(packageName: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof OptionError && !error.message.startsWith(`${packageName}: `)) {
      error.message = `${packageName}: ${error.message}`;
    }
    throw error;
  }
}
