import { createMemorySink, defineExperiment, type ExperimentConfig } from '@bucketry/core';
import type { HttpErrorContext } from '@bucketry/http';
import { createNextExperiments } from '../next-experiments.js';
import type { NextExperimentsOptions } from '../next-options.js';

/** The runbook's experiment at a given rollout. */
export const skillTreeAt = (rollout: number, extra: Partial<ExperimentConfig<'skill_tree_layout', 'tree' | 'list'>> = {}) =>
  defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout, ...extra });

type SkillTree = ReturnType<typeof skillTreeAt>;

/**
 * The Next integration over one experiment, with a memory sink and the reported errors; the
 * signed-in user comes from `X-User-Id`, as in the example app.
 */
export function skillTreeProxy(experiment: SkillTree, options: Omit<NextExperimentsOptions<SkillTree>, 'experiments' | 'client'> = {}) {
  const sink = createMemorySink();
  const errors: { error: unknown; context: HttpErrorContext }[] = [];
  const bucketry = createNextExperiments({
    sink,
    user: (request) => request.headers.get('x-user-id'),
    onError: (error, context) => errors.push({ error, context }),
    ...options,
    experiments: [experiment],
  });
  return { bucketry, sink, errors };
}
