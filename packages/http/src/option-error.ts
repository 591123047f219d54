import { ExperimentConfigError } from '@bucketry/core';

/**
 * A bad option: thrown at start-up, or reported to `onError` when a function option returns a bad
 * value on a request (`routes(request)[0] must name a known experiment ...`). Core's
 * {@link ExperimentConfigError} (so a `TypeError`), told apart by its class and name. The message
 * names the option, the value and the rule, after the adapter's package name when an adapter checks
 * it, e.g. `@bucketry/express: cookies.sameSite must be "Lax", "Strict" or "None", got "lax"`.
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
export class OptionError extends ExperimentConfigError {
  /** `packageName` starts the message, as the context of core's error does. */
  constructor(field: string, value: unknown, rule: string, packageName?: string) {
    super(field, value, rule, packageName);
    this.name = 'OptionError';
  }
}

/** The package whose start-up checks are running, given by {@link withPackageName}. */
let checkingFor: string | undefined;

/**
 * Throws an {@link OptionError}: how every bad option is reported, at start-up rather than on
 * some later request. Its message starts with `packageName`, by default the one
 * {@link withPackageName} is running checks for.
 *
 * @example
 * ```ts
 * if (typeof options.user !== 'function') invalidOption('user', options.user, 'must be a function');
 * // OptionError: user must be a function, got "x-user-id"
 * invalidOption('details', 42, 'must be a function', '@bucketry/express');
 * // OptionError: @bucketry/express: details must be a function, got 42
 * ```
 */
export function invalidOption(field: string, value: unknown, rule: string, packageName = checkingFor): never {
  throw new OptionError(field, value, rule, packageName);
}

/**
 * Runs an adapter's start-up checks (synchronous ones) for `packageName`: every
 * {@link OptionError} that `invalidOption` makes while they run starts with it, so the user sees
 * which package complained. The shared checks of this package need not pass the name along.
 *
 * @example
 * ```ts
 * const settings = withPackageName('@bucketry/next', () => resolveHttpSettings('@bucketry/next', options, access));
 * // OptionError: @bucketry/next: cookies.sameSite must be "Lax", "Strict" or "None", got "lax"
 * ```
 */
export function withPackageName<T>(packageName: string, check: () => T): T {
  const outer = checkingFor;
  checkingFor = packageName;
  try {
    return check();
  } finally {
    checkingFor = outer;
  }
}
