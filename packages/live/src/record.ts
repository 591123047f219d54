import { ExperimentConfigError, type ExperimentJSON } from '@bucketry/core';

/**
 * What a rollout store holds for one experiment: the share that gets a treatment, whether it runs
 * at all, and who changed it last, when and why. `version` starts at 1 and is bumped on every change,
 * so a writer can say which version it meant to replace (compare-and-set).
 *
 * @example
 * ```ts
 * const record: RolloutRecord = {
 *   rollout: 10, enabled: true, version: 3, updatedAt: '2026-11-02T09:30:00.000Z',
 *   actor: 'ana', phase: 'smoke', reason: 'runbook step 1',
 * };
 * ```
 */
export interface RolloutRecord {
  /** Percent (0–100, up to 4 decimals) of units in the experiment that get a treatment. 0 is the kill switch. */
  readonly rollout: number;
  /** `false` stops the experiment: everyone gets control. */
  readonly enabled: boolean;
  /** A whole number from 1, bumped on every change. */
  readonly version: number;
  /** When it last changed (ISO 8601). */
  readonly updatedAt: string;
  /** Who changed it last. */
  readonly actor: string;
  /** The rollout phase it is in, such as `smoke` or `ramp-50`; `null` when none was named. */
  readonly phase: string | null;
  /** Why it last changed; `null` when no reason was given. */
  readonly reason: string | null;
  /** A full config that replaces the experiment's base config (its rollout and enabled still come from the record). */
  readonly config?: ExperimentJSON;
}

/**
 * Everything a source reads from a store at once: the rollout record of each experiment, by key.
 * The same shape in every store, in the file a file store keeps, in what an HTTP source fetches
 * and in the last-known-good copy on disk.
 *
 * @example
 * ```ts
 * const snapshot: RolloutSnapshot = { rollouts: { skill_tree_layout: record } };
 * mergeRollouts([{ key: 'skill_tree_layout', variants: ['tree', 'list'] }], snapshot);
 * ```
 */
export interface RolloutSnapshot {
  readonly rollouts: Readonly<Record<string, RolloutRecord>>;
}

/**
 * One change in a store's history: who made it, when, from what to what, in which phase and why.
 * `from` is `null` for an experiment's first record.
 *
 * @example
 * ```ts
 * for (const change of await store.history('skill_tree_layout')) {
 *   const entry: RolloutChange = change;
 *   console.log(entry.at, entry.actor, entry.from?.rollout ?? '-', '→', entry.to.rollout, entry.phase, entry.reason);
 * }
 * ```
 */
export interface RolloutChange {
  readonly experiment: string;
  /** The record's version after the change. */
  readonly version: number;
  /** ISO 8601. */
  readonly at: string;
  readonly actor: string;
  readonly from: { readonly rollout: number; readonly enabled: boolean } | null;
  readonly to: { readonly rollout: number; readonly enabled: boolean };
  readonly phase: string | null;
  readonly reason: string | null;
}

const fail = (field: string, value: unknown, rule: string): never => {
  throw new ExperimentConfigError(field, value, rule);
};

const text = (field: string, value: unknown, nullable: boolean): string | null => {
  if (nullable && value === null) return null;
  if (typeof value !== 'string' || (!nullable && value === '')) fail(field, value, nullable ? 'must be a string or null' : 'must be a non-empty string');
  return value as string;
};

/**
 * Checks one record as it came from a store, naming the field that breaks a rule
 * (`rollouts.skill_tree_layout.rollout must be a number from 0 to 100, got 150`).
 */
export function parseRecord(field: string, value: unknown): RolloutRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(field, value, 'must be a rollout record object');
  const record = value as Record<string, unknown>;
  const { rollout, enabled, version, config } = record;
  if (typeof rollout !== 'number' || !(rollout >= 0 && rollout <= 100)) fail(`${field}.rollout`, rollout, 'must be a number from 0 to 100');
  if (typeof enabled !== 'boolean') fail(`${field}.enabled`, enabled, 'must be true or false');
  if (!Number.isSafeInteger(version) || (version as number) < 1) fail(`${field}.version`, version, 'must be a whole number from 1');
  if (config !== undefined && (config === null || typeof config !== 'object' || Array.isArray(config))) fail(`${field}.config`, config, 'must be an experiment config object');
  return {
    rollout: rollout as number,
    enabled: enabled as boolean,
    version: version as number,
    updatedAt: text(`${field}.updatedAt`, record.updatedAt, false)!,
    actor: text(`${field}.actor`, record.actor, false)!,
    phase: text(`${field}.phase`, record.phase ?? null, true),
    reason: text(`${field}.reason`, record.reason ?? null, true),
    ...(config === undefined ? {} : { config: config as ExperimentJSON }),
  };
}

/**
 * Checks a whole snapshot (parsed JSON or JSON text): `{ "rollouts": { "<key>": record, … } }`.
 * Throws {@link ExperimentConfigError} naming the first field that breaks a rule; nothing is half-read.
 */
export function parseSnapshot(value: unknown): RolloutSnapshot {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      fail('snapshot', value, `must be valid JSON (${(error as Error).message})`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('snapshot', parsed, 'must be an object { "rollouts": { … } }');
  const rollouts = (parsed as { rollouts?: unknown }).rollouts ?? {};
  if (rollouts === null || typeof rollouts !== 'object' || Array.isArray(rollouts)) fail('rollouts', rollouts, 'must be an object of experiment key to rollout record');
  const records: Record<string, RolloutRecord> = {};
  for (const [key, record] of Object.entries(rollouts as object)) records[key] = parseRecord(`rollouts.${key}`, record);
  return { rollouts: records };
}
