import { expect } from 'vitest';
import { OptionError } from '../option-error.js';

/**
 * The OptionError `run` throws; fails the test when it throws nothing or something else.
 *
 * @example
 * ```ts
 * expect(optionError(() => checkStickyStore(null)).message).toContain('sticky must be a sticky store');
 * ```
 */
export function optionError(run: () => unknown): OptionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OptionError);
    return error as OptionError;
  }
  throw new Error('expected an OptionError, nothing was thrown');
}
