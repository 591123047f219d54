import { expect } from 'vitest';
import { ExperimentConfigError } from '../errors.js';

/**
 * The ExperimentConfigError `build` throws; fails the test when it throws nothing or something else.
 *
 * @example
 * ```ts
 * expect(configError(() => defineExperiment(bad)).field).toBe('weights[1]');
 * ```
 */
export function configError(build: () => unknown): ExperimentConfigError {
  try {
    build();
  } catch (error) {
    if (error instanceof ExperimentConfigError) return error;
    throw error;
  }
  throw new Error('expected an ExperimentConfigError, but nothing was thrown');
}

/**
 * Asserts that `build` throws an ExperimentConfigError naming `field`, the value (as `got`, the
 * way messages render it) and a rule containing `rule`: `<field> <rule>, got <value>`.
 *
 * @example
 * ```ts
 * expectConfigError(() => defineExperiment({ ...base, rollout: 150 }), 'rollout', '150', 'from 0 to 100');
 * ```
 */
export function expectConfigError(build: () => unknown, field: string, got: string, rule: string): ExperimentConfigError {
  const error = configError(build);
  expect(error.field).toBe(field);
  expect(error.rule).toContain(rule);
  expect(error.message).toBe(`${field} ${error.rule}, got ${got}`);
  return error;
}
