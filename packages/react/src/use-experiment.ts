import { useContext, useEffect, useSyncExternalStore } from 'react';
import { ExperimentContext } from './experiment-provider.js';
import type { ExperimentAssignment } from './experiment-store.js';
import type { RegisteredKey, RegisteredVariant } from './register.js';

/**
 * The assignment of experiment `key` for the provider's unit: `variant`, `inExperiment`,
 * `reason` (and `bucket`, `unit`, `experiment`). Synchronous: when the server bootstrapped it,
 * the first render already shows the right variant, and hydration sees the server's.
 *
 * The exposure is written from an effect, never during render, once per unit and variant
 * however many renders, mounts or components read the experiment (StrictMode included).
 *
 * An experiment the provider does not know gives `fallback` (your control; default `'control'`)
 * with `inExperiment: false` and `reason: 'error'`, and is reported to `onError` once.
 * Throws when called outside {@link ExperimentProvider}.
 *
 * @example
 * ```tsx
 * function SkillsPage() {
 *   const { variant } = useExperiment('skill_tree_layout', 'tree');
 *   return variant === 'list' ? <SkillList /> : <SkillTree />;
 * }
 * ```
 */
export function useExperiment<K extends RegisteredKey>(key: K, fallback?: RegisteredVariant<K>): ExperimentAssignment<RegisteredVariant<K>>;
export function useExperiment(key: string, fallback = 'control'): ExperimentAssignment {
  const store = useContext(ExperimentContext);
  if (!store) {
    throw new Error(`useExperiment(${JSON.stringify(key)}) must be called inside an <ExperimentProvider>`);
  }
  const read = (): ExperimentAssignment => store.get(key, fallback);
  const assignment = useSyncExternalStore(store.subscribe, read, read);
  useEffect(() => store.commit(key, fallback), [store, key, fallback, assignment]);
  return assignment;
}
