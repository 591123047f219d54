import type { Bucketry, Experiment } from '@bucketry/core';
import type { ExperimentKey, VariantOf } from '@bucketry/http';

/**
 * Augment it with your client's type and `useExperiment` checks experiment keys and returns
 * their variants' union instead of `string`. Types only; nothing changes at run time.
 *
 * @example
 * ```ts
 * const bucketry = createBucketry({ experiments: [defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'] })] });
 *
 * declare module '@bucketry/react' {
 *   interface Register {
 *     client: typeof bucketry;
 *   }
 * }
 *
 * const { variant } = useExperiment('skill_tree_layout'); // 'tree' | 'list'
 * ```
 */
export interface Register {}

type RegisteredExperiment = Register extends { client: Bucketry<infer E> } ? E : Experiment;

/**
 * The keys `useExperiment` accepts: those of the client in {@link Register}, else any string.
 *
 * @example
 * ```ts
 * const key: RegisteredKey = 'skill_tree_layout';
 * ```
 */
export type RegisteredKey = ExperimentKey<RegisteredExperiment>;

/**
 * The variants of experiment `K` of the client in {@link Register}, else `string`.
 *
 * @example
 * ```ts
 * const layout: RegisteredVariant<'skill_tree_layout'> = 'list'; // 'tree' | 'list' once registered
 * ```
 */
export type RegisteredVariant<K extends string> = VariantOf<RegisteredExperiment, K>;
