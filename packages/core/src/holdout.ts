import { SEED_PURPOSE, seedFor } from './seed.js';
import { checkName, checkObject, checkUnknown, percentToBuckets } from './validate.js';

/**
 * A long-term holdout as written in a config: `percent` of all units get control in every
 * experiment that names it.
 *
 * @example
 * ```ts
 * const config: HoldoutConfig = { key: 'holdout_2026', percent: 5 };
 * ```
 */
export interface HoldoutConfig {
  /** Names the holdout group; experiments naming the same key hold out the same units. */
  readonly key: string;
  /** Percent of units held out, 0–100 (up to 4 decimals). */
  readonly percent: number;
}

/**
 * A validated holdout, from {@link defineHoldout}. Share one object across experiments.
 *
 * @example
 * ```ts
 * const longTerm: Holdout = defineHoldout({ key: 'holdout_2026', percent: 5 });
 * ```
 */
export interface Holdout extends HoldoutConfig {
  /** The seed of the holdout's own hash. */
  readonly seed: number;
  /** Units whose holdout bucket is below this are held out. */
  readonly buckets: number;
}

/**
 * Validates a holdout group once (an unknown field is refused). Its hash depends only on its key, never on an experiment, so
 * the same units are held out of every experiment that names it, whatever their own splits.
 *
 * @example
 * ```ts
 * const longTerm = defineHoldout({ key: 'holdout_2026', percent: 5 });
 * defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], holdout: longTerm });
 * defineExperiment({ key: 'onboarding_copy', variants: ['a', 'b'], holdout: longTerm });
 * ```
 */
export function defineHoldout(config: HoldoutConfig): Holdout {
  checkObject('holdout', config, '{ key, percent }');
  const { key, percent, ...unknown } = config;
  checkUnknown('holdout', unknown);
  return {
    key: checkName('holdout.key', key),
    percent,
    seed: seedFor(key, SEED_PURPOSE.holdout),
    buckets: percentToBuckets('holdout.percent', percent),
  };
}
