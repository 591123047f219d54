import { BUCKETS, BUCKETS_PER_PERCENT } from './bucket.js';
import { compileEligibility, type Attributes, type EligibilityPredicate, type EligibilityRule } from './eligibility.js';
import { ExperimentConfigError, describe } from './errors.js';
import { xxhash32 } from './xxhash32.js';

/**
 * A long-term holdout: `percent` of all units get control in every experiment that names it.
 *
 * @example
 * ```ts
 * const longTerm: HoldoutConfig = { key: 'holdout_2026', percent: 5 };
 * defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], holdout: longTerm });
 * ```
 */
export interface HoldoutConfig {
  /** Names the holdout group; experiments naming the same key hold out the same units. */
  readonly key: string;
  /** Percent of units held out, 0–100. */
  readonly percent: number;
}

/**
 * The experiment's slice of a layer: experiments in one layer own disjoint slices, so no unit is in two.
 *
 * @example
 * ```ts
 * const firstHalf: LayerConfig = { name: 'home', range: [0, 50] };
 * defineExperiment({ key: 'hero_copy', variants: ['a', 'b'], layer: firstHalf });
 * ```
 */
export interface LayerConfig {
  /** The layer's name; it seeds the layer's own hash. */
  readonly name: string;
  /** `[from, to)` in percent of the layer, 0–100. */
  readonly range: readonly [number, number];
}

/**
 * What {@link defineExperiment} takes. Only `key` and `variants` are required.
 *
 * @example
 * ```ts
 * const config: ExperimentConfig = JSON.parse(readFileSync('experiments/skill_tree_layout.json', 'utf8'));
 * const experiment = defineExperiment(config);
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
  /** Who may enter: a JSON rule or a predicate over the attributes. */
  readonly eligibility?: EligibilityRule | EligibilityPredicate;
  /** A holdout group whose units get control here. */
  readonly holdout?: HoldoutConfig;
  /** The slice of a layer this experiment owns. */
  readonly layer?: LayerConfig;
  /** Your label for this configuration, carried on exposures. Default: a hash of the configuration. */
  readonly version?: string;
}

/**
 * What the hot path needs, precomputed once.
 * @internal
 */
export interface AssignmentPlan {
  readonly hasOverrides: boolean;
  readonly overrides: ReadonlyMap<string, string>;
  readonly live: boolean;
  readonly eligible: ((attributes: Attributes) => boolean) | undefined;
  readonly holdoutSeed: number;
  readonly holdoutThreshold: number;
  readonly layerSeed: number;
  readonly layerFrom: number;
  readonly layerTo: number;
  readonly trafficSeed: number;
  readonly trafficThreshold: number;
  readonly rolloutSeed: number;
  readonly rolloutThreshold: number;
  readonly variantSeed: number;
  /** Upper bucket bounds of the treatments (variants[1..]), the last one 1,000,000. */
  readonly treatmentBounds: readonly number[];
}

/**
 * A validated experiment, ready for {@link assignVariant}. Frozen.
 *
 * @example
 * ```ts
 * const experiment: Experiment<'skill_tree_layout', 'tree' | 'list'> = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'] });
 * experiment.header;  // 'X-Experiment-Skill-Tree-Layout'
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
  readonly holdout: HoldoutConfig | undefined;
  readonly layer: LayerConfig | undefined;
  /** The configuration's label, given or derived (8 hex digits). */
  readonly version: string;
  /** Response header name, e.g. `X-Experiment-Skill-Tree-Layout`. */
  readonly header: string;
  /** Cookie name, e.g. `exp_skill_tree_layout`. */
  readonly cookie: string;
  /** @internal */
  readonly plan: AssignmentPlan;
}

/**
 * Seeds are derived per purpose so that the hashes of one unit are independent. See docs/spec.md.
 *
 * @example
 * ```ts
 * xxhash32('user-42', seedFor('skill_tree_layout', SEED_PURPOSE.traffic));
 * ```
 */
export const SEED_PURPOSE = { traffic: 1, rollout: 2, variant: 3, layer: 4, holdout: 5 } as const;

/**
 * The 32-bit seed for one purpose of one salt.
 *
 * @example
 * ```ts
 * seedFor('skill_tree_layout', SEED_PURPOSE.rollout);  // the seed of the rollout hash
 * ```
 */
export const seedFor = (salt: string, purpose: number): number => xxhash32(salt, purpose);

const KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** A percentage as a whole number of buckets, refusing what the bucket grid cannot hold. */
export function percentToBuckets(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new ExperimentConfigError(field, value, 'must be a number from 0 to 100');
  }
  const buckets = Math.round(value * BUCKETS_PER_PERCENT);
  if (Math.abs(buckets - value * BUCKETS_PER_PERCENT) > 1e-6) {
    throw new ExperimentConfigError(field, value, 'must have at most 4 decimals (the grid is 0.0001%)');
  }
  return buckets;
}

function checkName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw new ExperimentConfigError(field, value, 'must be 1-64 characters of lowercase a-z, 0-9, "_", "." or "-", starting with a letter or digit');
  }
  return value;
}

function checkNonEmptyString(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new ExperimentConfigError(field, value, 'must be a non-empty string');
  return value;
}

/** `skill_tree_layout` → `X-Experiment-Skill-Tree-Layout`. */
const headerFor = (key: string): string =>
  'X-Experiment-' + key.split(/[_-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('-');

/** Cumulative bounds of weights over the bucket grid; the last is exactly {@link BUCKETS}. */
function boundsFor(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let cumulative = 0;
  return weights.map((w, i) => {
    cumulative += w;
    return i === weights.length - 1 ? BUCKETS : Math.round((cumulative / total) * BUCKETS);
  });
}

function versionOf(config: ExperimentConfig): string {
  const text = JSON.stringify(config, (_key, value: unknown) => (typeof value === 'function' ? `fn:${String(value)}` : value));
  return xxhash32(text).toString(16).padStart(8, '0');
}

/**
 * Validates an experiment once and precomputes everything {@link assignVariant} needs.
 *
 * Every rule is checked; anything invalid throws {@link ExperimentConfigError} naming the field,
 * the value and the rule. Nothing invalid is replaced by a default.
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
  if (config === null || typeof config !== 'object') throw new ExperimentConfigError('config', config, 'must be an object');
  const key = checkName('key', config.key) as K;
  const { variants } = config;
  if (!Array.isArray(variants) || variants.length < 2) {
    throw new ExperimentConfigError('variants', variants, 'must be an array of at least 2 variant names');
  }
  variants.forEach((variant, i) => {
    checkNonEmptyString(`variants[${i}]`, variant);
    if (variants.indexOf(variant) !== i) throw new ExperimentConfigError(`variants[${i}]`, variant, 'must be unique');
  });

  const weights = config.weights ?? variants.map(() => 1);
  if (!Array.isArray(weights) || weights.length !== variants.length) {
    throw new ExperimentConfigError('weights', weights, `must be an array of ${variants.length} numbers, one per variant`);
  }
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ExperimentConfigError(`weights[${i}]`, w, 'must be >= 0');
  });
  const treatmentWeights = weights.slice(1);
  const treatmentTotal = treatmentWeights.reduce((sum, w) => sum + w, 0);
  const total = weights[0]! + treatmentTotal;
  if (!(total > 0)) throw new ExperimentConfigError('weights', weights, 'must not all be 0');

  let rolloutThreshold: number;
  if (config.rollout === undefined) {
    rolloutThreshold = Math.round((treatmentTotal / total) * BUCKETS);
  } else {
    rolloutThreshold = percentToBuckets('rollout', config.rollout);
    if (rolloutThreshold > 0 && treatmentTotal === 0) {
      throw new ExperimentConfigError('weights', weights, `must give a treatment a weight above 0 when rollout is ${config.rollout}`);
    }
  }
  const traffic = config.traffic ?? 100;
  const trafficThreshold = percentToBuckets('traffic', traffic);
  const salt = config.salt === undefined ? key : checkNonEmptyString('salt', config.salt);
  const trafficSalt = config.trafficSalt === undefined ? salt : checkNonEmptyString('trafficSalt', config.trafficSalt);
  const enabled = config.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new ExperimentConfigError('enabled', enabled, 'must be true or false');

  const overrides = new Map<string, string>();
  if (config.overrides !== undefined) {
    if (config.overrides === null || typeof config.overrides !== 'object') {
      throw new ExperimentConfigError('overrides', config.overrides, 'must be an object of unit → variant');
    }
    for (const unit of Object.keys(config.overrides)) {
      const variant = config.overrides[unit];
      if (!variants.includes(variant as V)) {
        throw new ExperimentConfigError(`overrides[${describe(unit)}]`, variant, `must be one of the variants (${variants.join(', ')})`);
      }
      overrides.set(unit, variant as string);
    }
  }

  const eligible = config.eligibility === undefined ? undefined : compileEligibility(config.eligibility);

  let holdout: HoldoutConfig | undefined;
  let holdoutThreshold = 0;
  if (config.holdout !== undefined) {
    const h = config.holdout;
    if (h === null || typeof h !== 'object') throw new ExperimentConfigError('holdout', h, 'must be { key, percent }');
    holdout = Object.freeze({ key: checkName('holdout.key', h.key), percent: h.percent });
    holdoutThreshold = percentToBuckets('holdout.percent', h.percent);
  }

  let layer: LayerConfig | undefined;
  let layerFrom = 0;
  let layerTo = BUCKETS;
  if (config.layer !== undefined) {
    const l = config.layer;
    if (l === null || typeof l !== 'object') throw new ExperimentConfigError('layer', l, 'must be { name, range: [from, to] }');
    const name = checkName('layer.name', l.name);
    if (!Array.isArray(l.range) || l.range.length !== 2) throw new ExperimentConfigError('layer.range', l.range, 'must be [from, to] in percent');
    layerFrom = percentToBuckets('layer.range[0]', l.range[0]);
    layerTo = percentToBuckets('layer.range[1]', l.range[1]);
    if (layerTo <= layerFrom) throw new ExperimentConfigError('layer.range', l.range, 'must have from < to');
    layer = Object.freeze({ name, range: Object.freeze([l.range[0], l.range[1]] as const) });
  }

  let version: string;
  if (config.version === undefined) version = versionOf(config);
  else version = checkNonEmptyString('version', config.version);

  const plan: AssignmentPlan = {
    hasOverrides: overrides.size > 0,
    overrides,
    live: enabled && rolloutThreshold > 0,
    eligible,
    holdoutSeed: holdout ? seedFor(holdout.key, SEED_PURPOSE.holdout) : 0,
    holdoutThreshold,
    layerSeed: layer ? seedFor(layer.name, SEED_PURPOSE.layer) : 0,
    layerFrom,
    layerTo,
    trafficSeed: seedFor(trafficSalt, SEED_PURPOSE.traffic),
    trafficThreshold,
    rolloutSeed: seedFor(salt, SEED_PURPOSE.rollout),
    rolloutThreshold,
    variantSeed: seedFor(salt, SEED_PURPOSE.variant),
    treatmentBounds: treatmentTotal > 0 ? boundsFor(treatmentWeights) : [BUCKETS],
  };

  return Object.freeze({
    key,
    variants: Object.freeze([...variants]),
    control: variants[0]!,
    weights: Object.freeze([...weights]),
    rollout: rolloutThreshold / BUCKETS_PER_PERCENT,
    traffic,
    salt,
    enabled,
    holdout,
    layer,
    version,
    header: headerFor(key),
    cookie: `exp_${key}`,
    plan: Object.freeze(plan),
  });
}
