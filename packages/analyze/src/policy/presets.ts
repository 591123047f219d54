import type { Guardrail, Policy } from './policy.js';

// The skill-tree runbooks' checks. Event names are the ones the Express example and
// `bucketry simulate` emit; copy a preset with `bucketry policy <name>` to rename them.
const SESSION_STARTS_NOT_WORSE: Guardrail = { type: 'non-inferiority', metric: 'session_started_from_tree', margin: 0.05, direction: 'higher-is-better', alpha: 0.05 };
const ERROR_RATE: Guardrail = { type: 'rate', metric: 'skill_tree_error', hold: 0.02, rollback: 0.05 };
const P95_LOAD_TIME: Guardrail = { type: 'percentile', event: 'skill_tree_loaded', percentile: 95, hold: 5000, rollback: 10_000 };

const skillTree = { experiment: 'skill_tree_layout', variants: ['tree', 'list'] } as const;

const staged = (percent: number): Policy => ({
  name: `staged-${percent}`,
  description:
    `Staged rollout ${percent === 5 ? '5% (first stage)' : percent === 25 ? '25% (second stage)' : '100% (last stage)'} of 5 → 25 → 100. ` +
    (percent === 100
      ? 'No control is left, so only the error-rate and p95 thresholds apply.'
      : 'Analyse each stage on its own (--config-version): stages with different weights must not be pooled.'),
  ...skillTree,
  weights: [100 - percent, percent],
  guardrails: percent === 100 ? [ERROR_RATE, P95_LOAD_TIME] : [SESSION_STARTS_NOT_WORSE, ERROR_RATE, P95_LOAD_TIME],
});

/**
 * The built-in policies, one per runbook: the 10% smoke test of the skill-tree layout, the 50%
 * ramp, and the stages of the 5 → 25 → 100 rollout.
 *
 * @example
 * ```ts
 * PRESETS['smoke-10'].weights; // [90, 10]
 * ```
 */
export const PRESETS: Readonly<Record<string, Policy>> = Object.freeze({
  'smoke-10': {
    name: 'smoke-10',
    description:
      'Skill-tree layout smoke test: 10% of users get "list". Looks for breakage, not for a win: sample ratio, ' +
      'session starts from the tree not more than 5% below control, error rate, p95 load time.',
    ...skillTree,
    weights: [90, 10],
    guardrails: [SESSION_STARTS_NOT_WORSE, ERROR_RATE, P95_LOAD_TIME],
  },
  'ramp-50': {
    name: 'ramp-50',
    description: 'Skill-tree layout at 50/50: session starts from the tree are the success metric, with the smoke test\'s guardrails.',
    ...skillTree,
    weights: [50, 50],
    metrics: ['session_started_from_tree'],
    guardrails: [SESSION_STARTS_NOT_WORSE, ERROR_RATE, P95_LOAD_TIME],
  },
  'staged-5': staged(5),
  'staged-25': staged(25),
  'staged-100': staged(100),
});
