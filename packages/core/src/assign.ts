import { BUCKETS, bucketOf } from './bucket.js';
import type { Attributes } from './eligibility.js';
import type { Experiment } from './experiment.js';
import { prepareUnit, type Unit } from './unit.js';
import { xxhash32, xxhash32Bytes } from './xxhash32.js';

/**
 * Why a unit got its variant.
 * - `bucketed`: hashed into its variant (in the experiment)
 * - `sticky`: kept from the sticky store (in the experiment)
 * - `override`: forced for this unit, e.g. a QA allow-list
 * - `disabled`: kill switch, `enabled: false` or rollout 0
 * - `ineligible`: the eligibility rule said no
 * - `holdout`: in the holdout group
 * - `layer`: outside the experiment's slice of its layer
 * - `traffic`: outside the experiment's traffic
 * - `missing_unit`: no usable unit id
 * - `error`: the eligibility predicate threw; see `error`
 *
 * @example
 * ```ts
 * const { reason } = assignVariant(skillTree, '');  // 'missing_unit'
 * ```
 */
export type AssignmentReason =
  | 'bucketed'
  | 'sticky'
  | 'override'
  | 'disabled'
  | 'ineligible'
  | 'holdout'
  | 'layer'
  | 'traffic'
  | 'missing_unit'
  | 'error';

/**
 * The outcome of {@link assignVariant}.
 *
 * @example
 * ```ts
 * const assignment: Assignment<'tree' | 'list'> = assignVariant(skillTree, 'user-42');
 * if (assignment.inExperiment) render(assignment.variant);
 * ```
 */
export interface Assignment<V extends string = string> {
  /** The experiment's key. */
  readonly experiment: string;
  /** The variant to show. Control whenever the unit is not in the experiment. */
  readonly variant: V;
  /** Whether the unit counts in the experiment: only then is an exposure due. */
  readonly inExperiment: boolean;
  readonly reason: AssignmentReason;
  /**
   * The bucket (0–999,999) that decided: the rollout bucket when `bucketed`, else the traffic,
   * layer or holdout bucket that kept the unit out; -1 when no hash decided.
   */
  readonly bucket: number;
  /** The unit's canonical key (see {@link unitKey}); empty when the unit is missing. */
  readonly unit: string;
  /** What went wrong, when `reason` is `error` or (with {@link assignSticky}) the sticky store failed. */
  readonly error?: unknown;
}

// One object shape for every outcome keeps the call sites monomorphic.
const make = <V extends string>(
  experiment: Experiment<string, V>,
  unit: string,
  variant: V,
  inExperiment: boolean,
  reason: AssignmentReason,
  bucket: number,
  error?: unknown,
): Assignment<V> => ({ experiment: experiment.key, variant, inExperiment, reason, bucket, unit, error });

// A string id is hashed in place; only a compound unit has encoded bytes.
const hashUnit = (key: string, bytes: Uint8Array | undefined, seed: number): number =>
  bucketOf(bytes ? xxhash32Bytes(bytes, bytes.length, seed) : xxhash32(key, seed));

// Pure: a bundler may drop it (see bundle-size.test.ts on modules doing nothing on import).
const NO_ATTRIBUTES: Attributes = /* @__PURE__ */ Object.freeze({});

/**
 * Decides which variant a unit gets. Deterministic: the same experiment and unit give the same
 * answer in every runtime, every time. Never throws for an experiment from {@link defineExperiment}.
 *
 * Checks run in this order (docs/spec.md): missing unit, override, kill switch, eligibility,
 * holdout, layer, traffic, rollout and weights. Pure: for sticky assignments use {@link assignSticky}.
 *
 * @param experiment - from {@link defineExperiment}
 * @param unit - a string id or a compound key such as `{ tenantId, userId }`
 * @param attributes - what eligibility rules look at
 * @example
 * ```ts
 * const exp = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
 * const { variant, inExperiment, reason } = assignVariant(exp, 'user-42');
 * // variant: 'list' for about 10% of users, 'tree' for the rest; reason: 'bucketed'
 * assignVariant(exp, { tenantId: 'acme', userId: '42' }, { region: 'eu' });
 * ```
 */
export function assignVariant<V extends string>(
  experiment: Experiment<string, V>,
  unit: Unit | null | undefined,
  attributes?: Attributes | null,
): Assignment<V> {
  const plan = experiment.plan;
  const control = experiment.control;
  let key: string;
  let bytes: Uint8Array | undefined;
  if (typeof unit === 'string' && unit.length > 0) {
    key = unit; // the hot path: a string id is hashed in place, nothing allocated
  } else {
    const prepared = prepareUnit(unit);
    if (prepared === undefined) return make(experiment, '', control, false, 'missing_unit', -1);
    key = prepared.key;
    bytes = prepared.bytes;
  }
  const forced = plan.overrides?.get(key);
  if (forced !== undefined) return make(experiment, key, forced as V, false, 'override', -1);
  if (!experiment.live) return make(experiment, key, control, false, 'disabled', -1);
  if (plan.eligible !== undefined) {
    try {
      if (!plan.eligible(attributes ?? NO_ATTRIBUTES)) return make(experiment, key, control, false, 'ineligible', -1);
    } catch (error) {
      return make(experiment, key, control, false, 'error', -1, error);
    }
  }
  const { holdout, layer } = experiment;
  if (holdout !== undefined) {
    const bucket = hashUnit(key, bytes, holdout.seed);
    if (bucket < holdout.buckets) return make(experiment, key, control, false, 'holdout', bucket);
  }
  if (layer !== undefined) {
    const bucket = hashUnit(key, bytes, layer.seed);
    if (bucket < layer.from || bucket >= layer.to) return make(experiment, key, control, false, 'layer', bucket);
  }
  if (plan.trafficBuckets < BUCKETS) {
    const bucket = hashUnit(key, bytes, plan.trafficSeed);
    if (bucket >= plan.trafficBuckets) return make(experiment, key, control, false, 'traffic', bucket);
  }

  const bucket = hashUnit(key, bytes, plan.rolloutSeed);
  let variant = control;
  if (bucket < plan.rolloutBuckets) {
    const bounds = plan.treatmentBounds;
    let index = 0;
    if (bounds.length > 1) {
      const position = hashUnit(key, bytes, plan.variantSeed);
      while (position >= bounds[index]!) index++;
    }
    variant = experiment.variants[index + 1]!;
  }
  return make(experiment, key, variant, true, 'bucketed', bucket);
}
