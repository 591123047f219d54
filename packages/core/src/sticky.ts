import { assignVariant, type Assignment } from './assign.js';
import type { Attributes } from './eligibility.js';
import type { Experiment } from './experiment.js';
import type { Unit } from './unit.js';

/**
 * Where sticky assignments live: a unit keeps the variant it first got, even when weights or
 * rollout change later. Calls are synchronous because assignment is; for a database (the
 * experiment template's `experiment_assignments` table), load a unit's records into a store
 * before assigning and write new ones back afterwards.
 *
 * A store that throws never breaks an assignment: the unit is bucketed as if it had no record.
 *
 * @example
 * ```ts
 * const store: StickyStore = {
 *   get: (unit, experiment) => cache.get(`${experiment}:${unit}`),
 *   set: (unit, experiment, variant) => { cache.set(`${experiment}:${unit}`, variant); pending.push({ unit, experiment, variant }); },
 * };
 * ```
 */
export interface StickyStore {
  /** The variant recorded for this unit and experiment, if any. */
  get(unit: string, experiment: string): string | undefined;
  /** Records the variant a unit was bucketed into. */
  set(unit: string, experiment: string, variant: string): void;
}

/**
 * The in-memory {@link StickyStore}, with a way to look at and seed its records.
 *
 * @example
 * ```ts
 * const store: MemoryStickyStore = createMemoryStickyStore();
 * await saveAll(store.records());
 * ```
 */
export interface MemoryStickyStore extends StickyStore {
  /** How many records it holds. */
  readonly size: number;
  /** All records, e.g. to persist them: `[{ unit, experiment, variant }]`. */
  records(): { unit: string; experiment: string; variant: string }[];
}

/**
 * A {@link StickyStore} in memory, optionally seeded with records loaded from elsewhere.
 *
 * @example
 * ```ts
 * const sticky = createMemoryStickyStore([{ unit: 'user-1', experiment: 'skill_tree_layout', variant: 'list' }]);
 * assignVariant(skillTree, 'user-1', undefined, { sticky }).reason;  // 'sticky'
 * ```
 */
export function createMemoryStickyStore(
  initial: Iterable<{ unit: string; experiment: string; variant: string }> = [],
): MemoryStickyStore {
  const byExperiment = new Map<string, Map<string, string>>();
  const set = (unit: string, experiment: string, variant: string): void => {
    let units = byExperiment.get(experiment);
    if (!units) byExperiment.set(experiment, (units = new Map()));
    units.set(unit, variant);
  };
  for (const record of initial) set(record.unit, record.experiment, record.variant);
  return {
    get: (unit, experiment) => byExperiment.get(experiment)?.get(unit),
    set,
    get size() {
      let size = 0;
      for (const units of byExperiment.values()) size += units.size;
      return size;
    },
    records: () =>
      [...byExperiment].flatMap(([experiment, units]) => [...units].map(([unit, variant]) => ({ unit, experiment, variant }))),
  };
}

/**
 * {@link assignVariant} with a sticky store: a unit that has a record keeps its variant even when
 * weights, rollout, traffic or layer slices change later; a unit bucketed for the first time is
 * recorded. The same as `assignVariant(experiment, unit, attributes, { sticky: store })`, where
 * the precedence lives (the kill switch, overrides, eligibility and holdouts win over records).
 *
 * @example
 * ```ts
 * const sticky = createMemoryStickyStore();
 * assignSticky(skillTree, 'user-42', undefined, sticky);  // bucketed and recorded
 * assignSticky(reweighted, 'user-42', undefined, sticky); // reason 'sticky': same variant
 * ```
 */
export const assignSticky = <V extends string>(
  experiment: Experiment<string, V>,
  unit: Unit | null | undefined,
  attributes: Attributes | null | undefined,
  store: StickyStore,
): Assignment<V> => assignVariant(experiment, unit, attributes, { sticky: store });
