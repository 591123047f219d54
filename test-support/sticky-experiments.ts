import { assignVariant, experimentFromJSON, type ExperimentJSON } from '@bucketry/core';

// The experiments the adapters' sticky-store tests assign against PostgreSQL, and what a unit
// gets in them without a record.

/** The keys of {@link stickyExperimentsAt}'s experiments. */
export const STICKY_KEYS = ['skill_tree_layout', 'onboarding_copy', 'pricing_table'] as const;

/** Three experiments, skill_tree_layout's list at `rollout` %: a ramp moves units that have no record. */
export const stickyExperimentsAt = (rollout: number): ExperimentJSON[] => [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout },
  { key: 'onboarding_copy', variants: ['short', 'long'], rollout: 50 },
  { key: 'pricing_table', variants: ['a', 'b', 'c'] },
];

/** The variant `unit` gets in experiment `key` at that rollout without a record: plain bucketing. */
export const plainVariant = (rollout: number, key: string, unit: string): string =>
  assignVariant(experimentFromJSON(stickyExperimentsAt(rollout).find((e) => e.key === key)!), unit).variant;

/** The first `count` users `<prefix>-<i>` whose skill_tree_layout is `at10` at 10% and `at50` at 50% without a record. */
export function usersWithLayouts(prefix: string, at10: string, at50: string, count: number): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) {
    const unit = `${prefix}-${i}`;
    if (plainVariant(10, 'skill_tree_layout', unit) === at10 && plainVariant(50, 'skill_tree_layout', unit) === at50) found.push(unit);
  }
  return found;
}
