import type { Assignment, AssignmentReason } from './assign.js';
import type { VariantValue } from './variant-values.js';

/**
 * Every assignment result is built here, so that they all share one object shape (which keeps
 * the call sites monomorphic) and no adapter writes one by hand.
 * @internal
 */
export const outcome = <V extends string>(
  experiment: string,
  values: Readonly<Record<string, VariantValue>> | undefined,
  unit: string,
  variant: V,
  inExperiment: boolean,
  reason: AssignmentReason,
  bucket: number,
  error?: unknown,
): Assignment<V> => ({ experiment, variant, value: values?.[variant], inExperiment, reason, bucket, unit, error });

/**
 * The assignment to use when assigning failed (a lookup threw, an adapter could not run): the
 * given variant (normally control), `reason: 'error'`, not in the experiment, never exposed.
 * Adapters use it instead of building a result by hand.
 *
 * @param experiment - the experiment (so that the result carries the variant's value, docs/spec.md
 *   §5.7), or only its key
 * @param variant - what to show instead, normally the experiment's control
 * @param error - what went wrong, kept on the result for `onError`
 * @param unit - the unit's canonical key, when it is known
 * @example
 * ```ts
 * const assignment = fallbackAssignment(skillTree, skillTree.control, new Error('proxy did not run'));
 * assignment.variant; // 'tree'; assignment.reason: 'error'; assignment.value: tree's value, if it has one
 * ```
 */
export const fallbackAssignment = <V extends string>(
  experiment: string | { readonly key: string; readonly values?: Readonly<Record<string, VariantValue>> | undefined },
  variant: V,
  error: unknown,
  unit = '',
): Assignment<V> =>
  typeof experiment === 'string'
    ? outcome(experiment, undefined, unit, variant, false, 'error', -1, error)
    : outcome(experiment.key, experiment.values, unit, variant, false, 'error', -1, error);

/**
 * A variant a server already chose and sent (an `X-Experiment-*` header, an `exp_*` cookie) as an
 * assignment with `reason: 'server'`: not in the experiment here, since the server that chose it
 * has exposed it. `undefined` when the variant is not one of the experiment's.
 *
 * @param experiment - the experiment the variant belongs to
 * @param variant - the value the server sent
 * @example
 * ```ts
 * serverAssignment(skillTree, response.headers.get('X-Experiment-Skill-Tree-Layout'));
 * // { experiment: 'skill_tree_layout', variant: 'list', inExperiment: false, reason: 'server', bucket: -1, unit: '' }
 * ```
 */
export function serverAssignment<V extends string>(
  experiment: { readonly key: string; readonly variants: readonly V[]; readonly values?: Readonly<Record<string, VariantValue>> | undefined },
  variant: unknown,
): Assignment<V> | undefined {
  return experiment.variants.includes(variant as V) ? outcome(experiment.key, experiment.values, '', variant as V, false, 'server', -1) : undefined;
}
