import { defineExperiment } from '@bucketry/core';
import { unitWithVariant } from '../../../../test-support/units.js';
import { useExperiment } from '../index.js';

/** The runbook's experiment at 50%, so both layouts have plenty of users. */
export const skillTreeLayout = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 });
/** A second experiment, to check that one experiment's changes leave the other's readers alone. */
export const checkoutButton = defineExperiment({ key: 'checkout_button', variants: ['blue', 'green'] });

export const TREE_USER = unitWithVariant(skillTreeLayout, 'tree');
export const LIST_USER = unitWithVariant(skillTreeLayout, 'list');

/** Shows what useExperiment returns, as `variant|inExperiment|reason`, in an element with the experiment's key as test id. */
export function ShowVariant({ experiment, fallback, onRender }: { experiment: string; fallback?: string; onRender?: () => void }) {
  const { variant, inExperiment, reason } = useExperiment(experiment, fallback);
  onRender?.();
  return <span data-testid={experiment}>{`${variant}|${inExperiment}|${reason}`}</span>;
}
