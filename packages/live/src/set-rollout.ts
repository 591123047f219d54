import { ExperimentConfigError } from '@bucketry/core';
import type { RolloutRecord } from './record.js';
import { rolloutPercent } from './rollout-input.js';
import type { RolloutStore } from './store.js';

/**
 * What {@link setRollout} takes: a `percent` (0–100) or a `fraction` (0–1), and what the history records.
 *
 * @example
 * ```ts
 * const change: RolloutChangeOptions = { percent: 50, phase: 'ramp-50', reason: 'smoke test passed', actor: 'ana', expectedVersion: 3 };
 * ```
 */
export interface RolloutChangeOptions {
  /** 0–100, a number or a numeric string: `10` is 10%, `0.5` half a percent, `0` the kill switch. */
  readonly percent?: number | string;
  /** 0–1 instead of a percent: `0.10` is 10%. */
  readonly fraction?: number | string;
  /** Default `true`: setting a rollout (re-)enables the experiment. `false` stops it whatever the percent. */
  readonly enabled?: boolean;
  readonly phase?: string;
  readonly reason?: string;
  /** Who changes it. Default `'unknown'`. */
  readonly actor?: string;
  /**
   * The version this change replaces, as read before deciding (0 when there is no record yet).
   * When the store holds another, nothing is written and {@link RolloutConflictError} says which.
   * Without it, the change applies to whatever is there (still atomically, and still in the history).
   * Ignored for the kill switch (0% or `enabled: false`), which is never refused.
   */
  readonly expectedVersion?: number;
}

const KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const optionalText = (field: string, value: unknown): string | null => {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !value.trim()) throw new ExperimentConfigError(field, value, 'must be a non-empty string when given');
  return value;
};

/**
 * Changes an experiment's rollout in a store with compare-and-set, and records who, when, from
 * what, to what, in which phase and why. Input is checked first (the experiment key, the percent
 * or fraction, the texts), each error naming the field, the value and the rule, and nothing is
 * written when one is refused. Two operators changing the same experiment at once: the one whose
 * `expectedVersion` is stale gets {@link RolloutConflictError} naming the version it expected and
 * the one it found. Setting 0 (the kill switch) is never refused by a version, and is recorded.
 * Every live source of the store picks the change up.
 *
 * @example
 * ```ts
 * import { createPostgresStore, setRollout } from '@bucketry/live';
 *
 * const store = createPostgresStore({ connectionString: process.env.DATABASE_URL });
 * const { record, previous } = await setRollout(store, 'skill_tree_layout', {
 *   percent: 50, phase: 'ramp-50', reason: 'smoke test passed', actor: 'ana', expectedVersion: 3,
 * });
 * console.log(`${previous?.rollout ?? '-'}% → ${record.rollout}% (version ${record.version})`);
 * ```
 */
export async function setRollout(
  store: RolloutStore,
  experiment: string,
  options: RolloutChangeOptions,
): Promise<{ readonly record: RolloutRecord; readonly previous: RolloutRecord | null }> {
  if (typeof experiment !== 'string' || !KEY.test(experiment)) throw new ExperimentConfigError('experiment', experiment, `must be an experiment key matching ${KEY}`);
  const rollout = rolloutPercent(options ?? {});
  const enabled = options.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new ExperimentConfigError('enabled', enabled, 'must be true or false');
  const { expectedVersion } = options;
  if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
    throw new ExperimentConfigError('expectedVersion', expectedVersion, 'must be a whole number from 0 (0: no record yet)');
  }
  return store.write(experiment, {
    rollout,
    enabled,
    actor: optionalText('actor', options.actor) ?? 'unknown',
    phase: optionalText('phase', options.phase),
    reason: optionalText('reason', options.reason),
    at: new Date().toISOString(),
    expectedVersion,
    force: rollout === 0 || !enabled,
  });
}
