import { createBucketry, type Bucketry, type ExperimentJSON } from '@bucketry/core';

/** The runbook's experiment at 0% in code: any treatment a test sees came from the store. */
export const BASE: readonly ExperimentJSON[] = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 },
  { key: 'pilot', variants: ['off', 'on'], rollout: 0 },
];

/** A live client over {@link BASE}, and every error its source reported. */
export function liveClient(): { bucketry: Bucketry; errors: { error: unknown; stage: string }[]; onError: (error: unknown, context: { stage: string }) => void } {
  const errors: { error: unknown; stage: string }[] = [];
  return {
    bucketry: createBucketry({ experiments: BASE }),
    errors,
    onError: (error, { stage }) => void errors.push({ error, stage }),
  };
}

/** The rollout of an experiment in force in the client. */
export const rolloutOf = (bucketry: Bucketry, key = 'skill_tree_layout'): number => bucketry.experiment(key).rollout;
