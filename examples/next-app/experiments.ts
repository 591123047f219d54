import { defineExperiment, rolloutFromPercentEnv } from '@bucketry/core';

/** The runbook's experiment, without its rollout: what the end-to-end test assigns against too. */
export const skillTreeLayout = { key: 'skill_tree_layout', variants: ['tree', 'list'] } as const;

/**
 * The rollout is read once, when the server starts: SKILL_TREE_LIST_ROLLOUT=10 gives 10% of users
 * the list, 0 is the kill switch. Unset means 0, so a build (which loads this module) and a
 * misconfigured server show everyone control.
 */
export const skillTree = defineExperiment({
  ...skillTreeLayout,
  variants: [...skillTreeLayout.variants],
  rollout: rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT', undefined, { default: 0 }),
});
