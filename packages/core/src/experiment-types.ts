import type { Experiment } from './experiment.js';

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
