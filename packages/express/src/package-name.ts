import { invalidOption as throwOptionError } from '@bucketry/http';

/** Starts this package's error messages. */
export const PACKAGE_NAME = '@bucketry/express';

/** Throws an `OptionError` naming the option, the value and the rule, after this package's name. */
export function invalidOption(field: string, value: unknown, rule: string): never {
  return throwOptionError(field, value, rule, PACKAGE_NAME);
}
