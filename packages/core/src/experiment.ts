import { BUCKETS, BUCKETS_PER_PERCENT } from './bucket.js';
import type { Attributes, EligibilityPredicate } from './eligibility.js';
import { describeValue } from './errors.js';
import type { Holdout } from './holdout.js';
import type { LayerSlice } from './layer.js';
import { SEED_PURPOSE, seedFor } from './seed.js';
import { MAX_VARIANTS } from './limits.js';
import { check, checkName, checkObject, checkOptionalText, checkText, configText, percentToBuckets } from './validate.js';
import { readVariantValues, type VariantValue } from './variant-values.js';
import { xxhash32 } from './xxhash32.js';

/**
 * What {@link defineExperiment} takes. Only `key` and `variants` are required. For a config that
 * lives in a JSON file (rules and all), use {@link experimentFromJSON}.
 *
 * @example
 * ```ts
 * const config: ExperimentConfig<'skill_tree_layout', 'tree' | 'list'> = {
 *   key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10, overrides: { 'qa-1': 'list' },
 * };
 * ```
 */
export interface ExperimentConfig<K extends string = string, V extends string = string> {
  /** Lowercase `[a-z0-9_.-]`, up to 64 characters; `skill_tree_layout` becomes `X-Experiment-Skill-Tree-Layout` and `exp_skill_tree_layout`. */
  readonly key: K;
  /** Two or more distinct variant names; the first is control. */
  readonly variants: readonly V[];
  /**
   * Relative weights, one per variant, non-negative. Default: equal. Without `rollout` they give the
   * split (`[90, 10]` is 90% control); with `rollout`, only the treatments' weights count, sharing the rollout.
   */
  readonly weights?: readonly number[];
  /** Percent (0–100, up to 4 decimals) of units in the experiment that get a treatment. 0 is the kill switch. */
  readonly rollout?: number;
  /** Percent (0–100, up to 4 decimals) of units that enter the experiment at all. Default 100. */
  readonly traffic?: number;
  /** Seeds the hashes. Default: the key. Change it to reshuffle everyone. */
  readonly salt?: string;
  /** Seeds the traffic hash only. Default: the salt. Experiments sharing it take in the same units. */
  readonly trafficSalt?: string;
  /** `false` is the kill switch: everyone gets control. Default `true`. */
  readonly enabled?: boolean;
  /** Forced variants per unit key (QA allow-lists), e.g. `{ 'qa-1': 'list' }`. */
  readonly overrides?: Readonly<Record<string, V>>;
  /** Who may enter: a predicate over the attributes, e.g. `eligibilityRule({ region: { in: ['eu'] } })`. */
  readonly eligibility?: EligibilityPredicate;
  /** A holdout group whose units get control here, from {@link defineHoldout}. */
  readonly holdout?: Holdout;
  /** The slice of a layer this experiment owns, from {@link layerSlice}. */
  readonly layer?: LayerSlice;
  /** Your label for this configuration, carried on exposures. Default: a hash of the configuration. */
  readonly version?: string;
  /**
   * A value per variant (JSON data), returned with each assignment: `{ tree: { columns: 3 }, list: { columns: 1 } }`.
   * Every variant has one, or none has. Values never change who gets which variant.
   */
  readonly values?: Readonly<Record<V, VariantValue>>;
}

/**
 * What the hot path needs, precomputed once.
 * @internal
 */
export interface AssignmentPlan {
  readonly overrides: ReadonlyMap<string, string> | undefined;
  readonly eligible: ((attributes: Attributes) => boolean) | undefined;
  readonly trafficSeed: number;
  readonly trafficBuckets: number;
  readonly rolloutSeed: number;
  readonly rolloutBuckets: number;
  readonly variantSeed: number;
  /** Upper bucket bounds of the treatments (variants[1..]), the last one 1,000,000. */
  readonly treatmentBounds: readonly number[];
}

/**
 * A validated experiment, ready for {@link assignVariant}. Frozen; it keeps its own copies of the arrays.
 *
 * @example
 * ```ts
 * const experiment: Experiment<'skill_tree_layout', 'tree' | 'list'> = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'] });
 * experiment.control;  // 'tree'
 * ```
 */
export interface Experiment<K extends string = string, V extends string = string> {
  readonly key: K;
  readonly variants: readonly V[];
  /** The first variant. */
  readonly control: V;
  /** The weights in force (equal when none were given). */
  readonly weights: readonly number[];
  /** Percent of units in the experiment that get a treatment (derived from the weights when not given). */
  readonly rollout: number;
  readonly traffic: number;
  readonly salt: string;
  readonly enabled: boolean;
  /** Whether any unit can get a treatment: `enabled` and rollout above 0. False is the kill switch. */
  readonly live: boolean;
  readonly holdout: Holdout | undefined;
  readonly layer: LayerSlice | undefined;
  /** The configuration's label, given or derived (8 hex digits). */
  readonly version: string;
  /** Each variant's value by variant name, when the configuration gives them. */
  readonly values: Readonly<Record<string, VariantValue>> | undefined;
  /** @internal */
  readonly plan: AssignmentPlan;
}

const sum = (values: readonly number[]): number => values.reduce((total, w) => total + w, 0);

/** Cumulative bounds of weights (summing to `total`) over the bucket grid; the last is exactly {@link BUCKETS}. */
function boundsFor(weights: readonly number[], total: number): number[] {
  let cumulative = 0;
  return weights.map((w, i) => (i === weights.length - 1 ? BUCKETS : Math.round(((cumulative += w) / total) * BUCKETS)));
}

/** A part made by one of our constructors carries its precomputed seed. */
const checkMade = (field: string, value: { seed?: unknown } | undefined, maker: string): void =>
  check(value === undefined || typeof value?.seed === 'number', field, value, `must come from ${maker}() or experimentFromJSON()`);

/**
 * Validates an experiment once and precomputes everything {@link assignVariant} needs.
 *
 * Every rule is checked; anything invalid throws {@link ExperimentConfigError} naming the field,
 * the value and the rule. Nothing invalid is replaced by a default: `null` is refused like any
 * other wrong value, never read as absent.
 *
 * @example
 * ```ts
 * import { defineExperiment, assignVariant, rolloutFromPercentEnv } from '@bucketry/core';
 *
 * const skillTree = defineExperiment({
 *   key: 'skill_tree_layout',
 *   variants: ['tree', 'list'],           // tree is control
 *   rollout: rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT'),  // 10 → 10% get list
 * });
 * assignVariant(skillTree, 'user-42').variant;  // 'tree' or 'list', the same every time
 * ```
 */
export function defineExperiment<const K extends string, const V extends string>(
  config: ExperimentConfig<K, V>,
): Experiment<K, V> {
  checkObject('config', config, 'an object');
  // Defaults apply to undefined only: null is a value, and is refused below. (Unknown fields are
  // refused by experimentFromJSON; here the type refuses them.)
  const { key, variants, weights: given, rollout, traffic = 100, salt: saltGiven, trafficSalt: trafficSaltGiven } = config;
  const { enabled = true, overrides, eligibility, holdout, layer, version } = config;
  checkName('key', key);
  check(Array.isArray(variants) && variants.length > 1, 'variants', variants, 'must be an array of at least 2 variant names');
  // The length first (docs/spec.md §5.6), then one pass with a Set: 100,000 variants took 14 s
  // with indexOf. Plain loops, not forEach, which skips the holes of a sparse array unchecked.
  check(variants.length <= MAX_VARIANTS, 'variants', variants, `must have at most ${MAX_VARIANTS} variants`);
  const names = new Set<string>();
  for (let i = 0; i < variants.length; i++) {
    const variant = checkText(`variants[${i}]`, variants[i]);
    check(!names.has(variant), `variants[${i}]`, variant, 'must be unique');
    names.add(variant);
  }

  const weights = given === undefined ? variants.map(() => 1) : given;
  check(Array.isArray(weights) && weights.length === variants.length, 'weights', weights, `must be an array of ${variants.length} numbers, one per variant`);
  for (let i = 0; i < weights.length; i++) check(Number.isFinite(weights[i]) && weights[i]! >= 0, `weights[${i}]`, weights[i], 'must be >= 0');
  const treatmentWeights = weights.slice(1);
  const treatmentTotal = sum(treatmentWeights);
  const total = sum(weights);
  check(total < Infinity, 'weights', weights, 'must add up to a finite number');
  check(total > 0, 'weights', weights, 'must not all be 0');
  const rolloutBuckets = rollout === undefined ? Math.round((treatmentTotal / total) * BUCKETS) : percentToBuckets('rollout', rollout);
  check(treatmentTotal > 0 || !rolloutBuckets, 'weights', weights, `must give a treatment a weight above 0 when rollout is ${rollout}`);

  const trafficBuckets = percentToBuckets('traffic', traffic);
  const salt = checkOptionalText('salt', saltGiven) ?? key;
  const trafficSalt = checkOptionalText('trafficSalt', trafficSaltGiven) ?? salt;
  check(typeof enabled === 'boolean', 'enabled', enabled, 'must be true or false');
  if (overrides !== undefined) {
    checkObject('overrides', overrides, 'an object of unit to variant');
    for (const [unit, variant] of Object.entries(overrides)) {
      check(names.has(variant), `overrides[${describeValue(unit)}]`, variant, `must be one of the variants (${variants.join(', ')})`);
    }
  }
  check(eligibility === undefined || typeof eligibility === 'function', 'eligibility', eligibility, 'must be a function (see eligibilityRule)');
  checkMade('holdout', holdout, 'defineHoldout');
  checkMade('layer', layer, 'layerSlice');
  const values = readVariantValues(config.values, variants);

  // Frozen, with copies of the arrays: changing the config afterwards must not move anyone.
  return Object.freeze({
    key,
    variants: Object.freeze([...variants]),
    control: variants[0]!,
    weights: Object.freeze([...weights]),
    rollout: rolloutBuckets / BUCKETS_PER_PERCENT,
    traffic,
    salt,
    enabled,
    live: enabled && rolloutBuckets > 0,
    holdout,
    layer,
    values,
    version:
      checkOptionalText('version', version) ??
      // Predicates from eligibilityRule() serialise as their rule (toJSON), so a rule change is a new version.
      xxhash32(configText(config)).toString(16).padStart(8, '0'),
    plan: {
      overrides: overrides && new Map(Object.entries(overrides)),
      eligible: eligibility,
      trafficSeed: seedFor(trafficSalt, SEED_PURPOSE.traffic),
      trafficBuckets,
      rolloutSeed: seedFor(salt, SEED_PURPOSE.rollout),
      rolloutBuckets,
      variantSeed: seedFor(salt, SEED_PURPOSE.variant),
      treatmentBounds: treatmentTotal > 0 ? boundsFor(treatmentWeights, treatmentTotal) : [BUCKETS],
    },
  });
}
