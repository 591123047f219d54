import type { ExperimentJSON } from './experiment-json.js';
import type { Experiment } from './experiment.js';

/**
 * What {@link createBucketry} accepts for each experiment: one made by `defineExperiment` or
 * `experimentFromJSON`, or a plain configuration object.
 *
 * @example
 * ```ts
 * const configs: ExperimentDefinition[] = [skillTree, { key: 'pricing', variants: ['a', 'b'], rollout: 50 }];
 * ```
 */
export type ExperimentDefinition = Experiment | ExperimentJSON;

/**
 * The experiment a definition becomes: a plain `{ key: 'k', variants: ['a', 'b'] }` keeps its
 * literal key and variants, so `assign('k', …).variant` is `'a' | 'b'`.
 *
 * @example
 * ```ts
 * type Pricing = DefinedExperiment<{ key: 'pricing'; variants: readonly ['a', 'b'] }>; // Experiment<'pricing', 'a' | 'b'>
 * ```
 */
export type DefinedExperiment<D> = D extends Experiment
  ? D
  : D extends { readonly key: infer K extends string; readonly variants: readonly (infer V extends string)[] }
    ? Experiment<K, V>
    : never;

/**
 * The keys of a set of experiments.
 *
 * @example
 * ```ts
 * type Keys = ExperimentKey<typeof skillTree | typeof pricing>; // 'skill_tree_layout' | 'pricing'
 * ```
 */
export type ExperimentKey<E> = E extends Experiment<infer K, string> ? K : never;

/**
 * The variants of the experiment with key `K` in a set of experiments (`string` for a set whose
 * keys are not literals).
 *
 * @example
 * ```ts
 * type Layout = VariantOf<typeof skillTree | typeof pricing, 'skill_tree_layout'>; // 'tree' | 'list'
 * ```
 */
export type VariantOf<E, K extends string> = E extends Experiment<infer EK, infer V> ? (K extends EK ? V : never) : never;
