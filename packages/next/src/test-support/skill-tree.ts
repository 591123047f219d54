import { createMemorySink, defineExperiment, type ExperimentConfig } from '@bucketry/core';
import { headerText, type HttpErrorContext } from '@bucketry/http';
import { resolveSignature, type ForwardedSignature } from '../forwarded-signature.js';
import { createNextExperiments } from '../next-experiments.js';
import type { NextExperimentsOptions } from '../next-options.js';

/** The runbook's experiment at a given rollout. */
export const skillTreeAt = (rollout: number, extra: Partial<ExperimentConfig<'skill_tree_layout', 'tree' | 'list'>> = {}) =>
  defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout, ...extra });

type SkillTree = ReturnType<typeof skillTreeAt>;

/** The deployment secret the tests' proxies sign with (at least 32 characters). */
export const TEST_SECRET = 'test-secret-of-at-least-32-characters';

/** A header value as the tests' proxies sign it: for a page to believe entries no proxy would forward. */
export const signedAsTheProxy = (value: string): string => (resolveSignature(TEST_SECRET) as ForwardedSignature).sign(value);

/**
 * The Next integration over one experiment, with a memory sink and the reported errors; the
 * signed-in user comes from `X-User-Id` (UTF-8), as in the example app.
 */
export function skillTreeProxy(experiment: SkillTree, options: Omit<NextExperimentsOptions<SkillTree>, 'experiments' | 'client'> = {}) {
  const sink = createMemorySink();
  const errors: { error: unknown; context: HttpErrorContext }[] = [];
  const bucketry = createNextExperiments({
    sink,
    secret: TEST_SECRET,
    user: (request) => headerText(request.headers.get('x-user-id'), 'X-User-Id'),
    onError: (error, context) => errors.push({ error, context }),
    ...options,
    experiments: [experiment],
  });
  return { bucketry, sink, errors };
}
