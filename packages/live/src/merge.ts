import { ExperimentConfigError, type ExperimentJSON } from '@bucketry/core';
import type { RolloutSnapshot } from './record.js';

/**
 * What {@link mergeRollouts} returns: the set to hand to `bucketry.update`, and the keys of
 * records that name no experiment (reported by the sources through `onError`, never applied).
 *
 * @example
 * ```ts
 * const { experiments, unknown }: MergedSet = mergeRollouts(base, snapshot);
 * if (unknown.length) log.warn({ unknown }, 'rollout records for experiments this service does not know');
 * bucketry.update(experiments, 'postgres');
 * ```
 */
export interface MergedSet {
  readonly experiments: readonly ExperimentJSON[];
  readonly unknown: readonly string[];
}

/**
 * The set a source delivers: the base configs (from code or a file) with the store's rollout
 * records applied. A record sets the experiment's `rollout` and `enabled`; a record that carries
 * a full `config` replaces the base config first (and may add an experiment the code does not
 * list). An experiment without a record keeps its base config. A record for an experiment that is
 * neither in the base nor carries a config is listed in `unknown`, not applied. When a config has
 * its own `version` label, the record's version is appended (`v3+r7`), so every rollout change is a
 * new configuration version on exposures. Pure: the inputs are not changed.
 *
 * Throws {@link ExperimentConfigError} when a record's config names another key.
 *
 * @example
 * ```ts
 * import { mergeRollouts } from '@bucketry/live';
 *
 * const base = [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 }];
 * const { experiments } = mergeRollouts(base, {
 *   rollouts: { skill_tree_layout: { rollout: 10, enabled: true, version: 2, updatedAt: '2026-11-02T09:30:00Z', actor: 'ana', phase: 'smoke', reason: null } },
 * });
 * experiments[0].rollout; // 10
 * ```
 */
export function mergeRollouts(base: readonly ExperimentJSON[], snapshot: RolloutSnapshot): MergedSet {
  const records = new Map(Object.entries(snapshot.rollouts));
  const applied = new Set<string>();
  const apply = (config: ExperimentJSON, key: string): ExperimentJSON => {
    const record = records.get(key);
    if (!record) return config;
    applied.add(key);
    const from = record.config ?? config;
    if (from.key !== key) throw new ExperimentConfigError(`rollouts.${key}.config.key`, from.key, `must be the record's key (${key})`);
    // `enabled` is written only when it says something (false, or a base that has the field), so a
    // record at 10% gives the config a deploy at 10% has, and the same derived version on exposures.
    const merged: ExperimentJSON = { ...from, rollout: record.rollout, ...(record.enabled && !('enabled' in from) ? {} : { enabled: record.enabled }) };
    return from.version === undefined ? merged : { ...merged, version: `${from.version}+r${record.version}` };
  };
  const experiments = base.map((config) => apply(config, config.key));
  const unknown: string[] = [];
  for (const key of [...records.keys()].sort()) {
    if (applied.has(key)) continue;
    if (records.get(key)!.config) experiments.push(apply(records.get(key)!.config!, key));
    else unknown.push(key);
  }
  return { experiments, unknown };
}
