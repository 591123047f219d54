import { createBucketry, defineExperiment } from '@bucketry/core';
import type { RolloutStatus } from './skills-api.js';

/**
 * The page's Bucketry client: the runbook's experiment at the rollout the API reports, so the
 * page assigns each user exactly as the API does (same key, variants and rollout, same engine).
 * No sink: the API writes the exposure when it serves the user's layout, and that is the one the
 * analysis counts; the page only decides what to show.
 */
export function createSkillTreeClient(status: RolloutStatus) {
  return createBucketry({
    experiments: [
      defineExperiment({
        key: 'skill_tree_layout',
        variants: ['tree', 'list'], // tree is control
        rollout: status.enabled ? status.percentage : 0,
      }),
    ],
  });
}

export type SkillTreeClient = ReturnType<typeof createSkillTreeClient>;

// useExperiment('skill_tree_layout') is typed 'tree' | 'list', and a mistyped key does not compile.
declare module '@bucketry/react' {
  interface Register {
    client: SkillTreeClient;
  }
}
