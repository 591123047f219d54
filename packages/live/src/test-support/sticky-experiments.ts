import type { ExperimentJSON } from '@bucketry/core';

/** The experiments the sticky-store tests assign units in. */
export const STICKY_EXPERIMENTS: readonly ExperimentJSON[] = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 },
  { key: 'onboarding_copy', variants: ['short', 'long'], rollout: 50 },
  { key: 'pricing_table', variants: ['a', 'b', 'c'] },
];

/** The same experiments changed since: without sticky records most units would move. */
export const STICKY_EXPERIMENTS_LATER: readonly ExperimentJSON[] = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100 },
  { key: 'onboarding_copy', variants: ['short', 'long'], rollout: 0.01 },
  { key: 'pricing_table', variants: ['a', 'b', 'c'], weights: [1, 1, 98] },
];
