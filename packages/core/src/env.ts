import { ExperimentConfigError } from './errors.js';

/**
 * Environment variables, as `process.env` holds them.
 *
 * @example
 * ```ts
 * const env: Env = { SKILL_TREE_LIST_ROLLOUT: '10' };
 * rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', env);  // 10
 * ```
 */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Options of the `rolloutFrom*Env` functions.
 *
 * @example
 * ```ts
 * rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', process.env, { default: 0 } satisfies RolloutEnvOptions);
 * ```
 */
export interface RolloutEnvOptions {
  /**
   * Returned, as it is and in percent (like the functions' results), when the variable is unset;
   * a variable set to an empty value is still an error. Without it, an unset variable is an error too.
   */
  readonly default?: number;
}

const processEnv = (): Env => (globalThis as { process?: { env?: Env } }).process?.env ?? {};

function read(name: string, env: Env, options: RolloutEnvOptions | undefined, rule: string): string | number {
  const raw = env[name];
  if (raw === undefined) {
    if (options?.default !== undefined) return options.default;
    throw new ExperimentConfigError(name, raw, `must be set to ${rule}`, 'environment');
  }
  return raw.trim();
}

/**
 * Reads a rollout written as a percent, the form `SKILL_TREE_LIST_ROLLOUT=10` uses, and returns
 * it as a percent (0–100, up to 4 decimals). Call it at start-up: `ten`, `150`, `-1`, `0.1.2`
 * or an empty value throw {@link ExperimentConfigError} naming the variable and the value.
 *
 * @param name - the variable's name
 * @param env - where to read it (default `process.env` where there is one)
 * @example
 * ```ts
 * // SKILL_TREE_LIST_ROLLOUT=10
 * const rollout = rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT');  // 10
 * defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });
 * ```
 */
export function rolloutFromPercentEnv(name: string, env: Env = processEnv(), options?: RolloutEnvOptions): number {
  const rule = 'a percent from 0 to 100 with at most 4 decimals, like 10 or 12.5';
  const value = read(name, env, options, rule);
  if (typeof value === 'number') return value;
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(value) || Number(value) > 100) {
    throw new ExperimentConfigError(name, value, `must be ${rule}`, 'environment');
  }
  return Number(value);
}

/**
 * Reads a rollout written as a fraction, the form `PILOT_ROLLOUT_PCT=0.10` uses, and returns
 * it as a percent (0.10 → 10). Values outside 0–1, with more than 6 decimals, or not numbers
 * throw {@link ExperimentConfigError} naming the variable and the value.
 *
 * @param name - the variable's name
 * @param env - where to read it (default `process.env` where there is one)
 * @example
 * ```ts
 * // PILOT_ROLLOUT_PCT=0.10
 * const rollout = rolloutFromFractionEnv('PILOT_ROLLOUT_PCT');  // 10
 * ```
 */
export function rolloutFromFractionEnv(name: string, env: Env = processEnv(), options?: RolloutEnvOptions): number {
  const rule = 'a fraction from 0 to 1 with at most 6 decimals, like 0.10';
  const value = read(name, env, options, rule);
  if (typeof value === 'number') return value;
  if (!/^[01](\.\d{1,6})?$/.test(value) || Number(value) > 1) {
    // A value that reads as a valid percent was probably meant as one: say which fraction that is,
    // rounded to the 6 decimals a fraction may have (57.1 / 100 would print 0.5710000000000001).
    const hint = /^\d{1,3}(\.\d{1,4})?$/.test(value) && Number(value) <= 100 ? ` (for ${value}% write ${Math.round(Number(value) * 1e4) / 1e6})` : '';
    throw new ExperimentConfigError(name, value, `must be ${rule}${hint}`, 'environment');
  }
  // Scale by string arithmetic-free rounding so 0.1 becomes exactly 10, not 10.000000000000002.
  return Math.round(Number(value) * 1e6) / 1e4;
}
