import { BUCKETS, bucketOf } from './bucket.js';
import type { Attributes } from './eligibility.js';
import { ExperimentConfigError } from './errors.js';
import type { Experiment } from './experiment.js';
import { outcome } from './outcome.js';
import type { VariantValue } from './variant-values.js';
import type { StickyStore } from './sticky.js';
import { prepareUnit, type Unit } from './unit.js';
import { xxhash32, xxhash32Bytes } from './xxhash32.js';

/**
 * Why a unit got its variant.
 * - `bucketed`: hashed into its variant (in the experiment)
 * - `sticky`: kept from the sticky store (in the experiment)
 * - `override`: forced for this call (a QA override) or for this unit (the config's `overrides`)
 * - `disabled`: kill switch, `enabled: false` or rollout 0
 * - `server`: chosen and exposed by a server, read back here (see {@link serverAssignment})
 * - `ineligible`: the eligibility rule said no
 * - `holdout`: in the holdout group
 * - `layer`: outside the experiment's slice of its layer
 * - `traffic`: outside the experiment's traffic
 * - `missing_unit`: no usable unit id
 * - `error`: the eligibility predicate threw, the override was not a variant, a compound unit
 *   could not be read (a getter or Proxy trap threw), or an adapter could not assign (see
 *   {@link fallbackAssignment}); see `error`
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
  | 'server'
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
  /** The variant's value, when the experiment gives its variants values (`values` in its configuration). */
  readonly value?: VariantValue | undefined;
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
  /** What went wrong, when `reason` is `error` or the sticky store failed (the plain outcome is kept). */
  readonly error?: unknown;
}

// A string id is hashed in place; only a compound unit has encoded bytes.
const hashUnit = (key: string, bytes: Uint8Array | undefined, seed: number): number =>
  bucketOf(bytes ? xxhash32Bytes(bytes, bytes.length, seed) : xxhash32(key, seed));

// Pure: a bundler may drop it (see bundle-size.test.ts on modules doing nothing on import).
const NO_ATTRIBUTES: Attributes = /* @__PURE__ */ Object.freeze({});

/**
 * Options of {@link assignVariant}.
 *
 * @example
 * ```ts
 * const options: AssignOptions<'tree' | 'list'> = { override: 'list', sticky: createMemoryStickyStore() };
 * assignVariant(skillTree, 'user-42', undefined, options).reason; // 'override'
 * ```
 */
export interface AssignOptions<V extends string = string> {
  /**
   * A variant forced for this call only, such as an HTTP QA override. It beats the config's
   * `overrides` and every hash, never the kill switch. A value that is not one of the variants
   * gives control with `reason: 'error'`.
   */
  readonly override?: V | undefined;
  /** Keeps units on the variant they first got (see {@link StickyStore}). */
  readonly sticky?: StickyStore | undefined;
}

/**
 * Decides which variant a unit gets. Deterministic: the same experiment and unit give the same
 * answer in every runtime, every time. Never throws for an experiment from {@link defineExperiment}.
 *
 * The whole precedence lives here, in the order of docs/spec.md §7: a missing unit, the kill
 * switch (`enabled: false` or rollout 0, which beats everything after it, overrides and sticky
 * records included), an override (this call's, then the config's), eligibility, the holdout, a
 * sticky record, the layer, the traffic, then the rollout and the weights.
 *
 * @param experiment - from {@link defineExperiment}
 * @param unit - a string id or a compound key such as `{ tenantId, userId }`
 * @param attributes - what eligibility rules look at
 * @param options - a QA override for this call, a sticky store
 * @example
 * ```ts
 * const exp = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
 * const { variant, inExperiment, reason } = assignVariant(exp, 'user-42');
 * // variant: 'list' for about 10% of users, 'tree' for the rest; reason: 'bucketed'
 * assignVariant(exp, { tenantId: 'acme', userId: '42' }, { region: 'eu' });
 * assignVariant(exp, 'qa-1', undefined, { override: 'list' }).reason; // 'override'
 * ```
 */
export function assignVariant<V extends string>(
  experiment: Experiment<string, V>,
  unit: Unit | null | undefined,
  attributes?: Attributes | null,
  options?: AssignOptions<V>,
): Assignment<V> {
  const name = experiment.key;
  const values = experiment.values;
  const plan = experiment.plan;
  const control = experiment.control;
  let key: string;
  let bytes: Uint8Array | undefined;
  if (typeof unit === 'string' && unit.length > 0) {
    key = unit; // the hot path: a string id is hashed in place, nothing allocated
  } else {
    const prepared = prepareUnit(unit);
    if (prepared === undefined) return outcome(name, values, '', control, false, 'missing_unit', -1);
    // A compound unit whose getter or Proxy trap threw: control, with what it threw.
    if (!prepared.key) return outcome(name, values, '', control, false, 'error', -1, prepared.error);
    key = prepared.key;
    bytes = prepared.bytes;
  }
  if (!experiment.live) return outcome(name, values, key, control, false, 'disabled', -1);
  const sticky = options?.sticky;
  const requested = options?.override;
  if (requested !== undefined) {
    return experiment.variants.includes(requested)
      ? outcome(name, values, key, requested, false, 'override', -1)
      : outcome(name, values, key, control, false, 'error', -1, new ExperimentConfigError('override', requested, 'must be one of the variants'));
  }
  const forced = plan.overrides?.get(key);
  if (forced !== undefined) return outcome(name, values, key, forced as V, false, 'override', -1);
  if (plan.eligible !== undefined) {
    try {
      if (!plan.eligible(attributes ?? NO_ATTRIBUTES)) return outcome(name, values, key, control, false, 'ineligible', -1);
    } catch (error) {
      return outcome(name, values, key, control, false, 'error', -1, error);
    }
  }
  const { holdout, layer } = experiment;
  if (holdout !== undefined) {
    const bucket = hashUnit(key, bytes, holdout.seed);
    if (bucket < holdout.buckets) return outcome(name, values, key, control, false, 'holdout', bucket);
  }
  // A sticky record outranks the layer, traffic and rollout, so that changing them never moves a
  // unit that has one; a store that fails leaves the plain outcome, carrying the store's error.
  let stickyError: unknown;
  if (sticky !== undefined) {
    try {
      const kept = sticky.get(key, name);
      if (kept !== undefined && experiment.variants.includes(kept as V)) return outcome(name, values, key, kept as V, true, 'sticky', -1);
    } catch (error) {
      stickyError = error;
    }
  }
  if (layer !== undefined) {
    const bucket = hashUnit(key, bytes, layer.seed);
    if (bucket < layer.from || bucket >= layer.to) return outcome(name, values, key, control, false, 'layer', bucket, stickyError);
  }
  if (plan.trafficBuckets < BUCKETS) {
    const bucket = hashUnit(key, bytes, plan.trafficSeed);
    if (bucket >= plan.trafficBuckets) return outcome(name, values, key, control, false, 'traffic', bucket, stickyError);
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
  if (sticky !== undefined && stickyError === undefined) {
    try {
      sticky.set(key, name, variant);
    } catch (error) {
      stickyError = error;
    }
  }
  return outcome(name, values, key, variant, true, 'bucketed', bucket, stickyError);
}
