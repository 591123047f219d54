import { createBucketry, createMemorySink, type Assignment, type AssignmentReason, type Bucketry, type ExperimentJSON } from '@bucketry/core';

/** One experiment per flag type and per reason the providers map. */
export const FLAGS: ExperimentJSON[] = [
  { key: 'new_checkout', variants: ['off', 'on'], rollout: 50, values: { off: false, on: true }, overrides: { 'qa-1': 'on' } },
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50, values: { tree: { layout: 'tree', columns: 3 }, list: { layout: 'list', columns: 1 } } },
  { key: 'price_tier', variants: ['standard', 'discount'], rollout: 50, values: { standard: 10, discount: 8 } },
  { key: 'banner_copy', variants: ['plain', 'bold'], rollout: 50 },
  { key: 'killed', variants: ['off', 'on'], enabled: false, values: { off: false, on: true } },
  { key: 'eu_only', variants: ['off', 'on'], rollout: 50, values: { off: false, on: true }, eligibility: { region: { in: ['eu'] } } },
  { key: 'small_traffic', variants: ['off', 'on'], rollout: 50, traffic: 20, values: { off: false, on: true } },
  { key: 'held_out', variants: ['off', 'on'], rollout: 50, holdout: { key: 'holdout_2026', percent: 30 }, values: { off: false, on: true } },
  { key: 'layered', variants: ['off', 'on'], rollout: 50, layer: { name: 'page', range: [0, 30] }, values: { off: false, on: true } },
];

/** A client over {@link FLAGS} with a memory sink (dedupe on, as in production). */
export function flagClient(extra: Partial<Parameters<typeof createBucketry>[0]> = {}) {
  const sink = createMemorySink();
  const bucketry = createBucketry({ experiments: FLAGS, sink, ...extra });
  return { bucketry, sink };
}

/** The first unit `user-<n>` whose assignment for `key` has `reason` (so tests never hard-code a hash). */
export function unitWith(bucketry: Bucketry, key: string, reason: AssignmentReason, attributes: Record<string, unknown> = {}, variant?: string): Assignment {
  for (let n = 0; n < 10_000; n++) {
    const assignment = bucketry.peek(key, `user-${n}`, attributes);
    if (assignment.reason === reason && (variant === undefined || assignment.variant === variant)) return assignment;
  }
  throw new Error(`no unit with reason ${reason} for ${key}`);
}

let domains = 0;
/** A fresh OpenFeature domain per test: the API is a process-wide singleton. */
export const newDomain = (): string => `bucketry-test-${++domains}`;
