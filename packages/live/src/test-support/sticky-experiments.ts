import type { ExperimentJSON } from '@bucketry/core';
import { stickyExperimentsAt } from '../../../../test-support/sticky-experiments.js';

/** The experiments the sticky-store tests assign units in: the adapters' sticky experiments, skill_tree_layout at 50%. */
export const STICKY_EXPERIMENTS: readonly ExperimentJSON[] = stickyExperimentsAt(50);

/** The same experiments changed since: without sticky records most units would move. */
export const STICKY_EXPERIMENTS_LATER: readonly ExperimentJSON[] = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 100 },
  { key: 'onboarding_copy', variants: ['short', 'long'], rollout: 0.01 },
  { key: 'pricing_table', variants: ['a', 'b', 'c'], weights: [1, 1, 98] },
];
