export { xxhash32 } from './xxhash32.js';
export { BUCKETS, bucketOf } from './bucket.js';
export { ExperimentConfigError, describeValue } from './errors.js';
export { unitKey, type Unit, type CompoundUnit } from './unit.js';
export {
  isEligible,
  eligibilityRule,
  type RulePredicate,
  type Attributes,
  type AttributeCondition,
  type EligibilityPredicate,
  type EligibilityRule,
  type RuleValue,
} from './eligibility.js';
export { defineExperiment, type Experiment, type ExperimentConfig } from './experiment.js';
export type { ExperimentKey, VariantOf } from './experiment-types.js';
export type { VariantValue } from './variant-values.js';
export { interleave, type InterleaveRequest, type InterleavedItem, type Interleaving } from './interleave.js';
export { seedFor, SEED_PURPOSE } from './seed.js';
export { defineHoldout, type Holdout, type HoldoutConfig } from './holdout.js';
export { layerSlice, type LayerSlice, type LayerConfig } from './layer.js';
export { assignVariant, type Assignment, type AssignmentReason, type AssignOptions } from './assign.js';
export { fallbackAssignment, serverAssignment } from './outcome.js';
export { experimentFromJSON, type ExperimentJSON } from './experiment-json.js';
export { checkExperimentSet } from './experiment-set.js';
export {
  defineMultivariate,
  assignFactors,
  type FactorConfig,
  type FactorAssignment,
  type Multivariate,
  type MultivariateConfig,
} from './multivariate.js';
export { assignSticky, createMemoryStickyStore, type StickyStore, type MemoryStickyStore } from './sticky.js';
export { rolloutFromPercentEnv, rolloutFromFractionEnv, type Env, type RolloutEnvOptions } from './env.js';
export { EXPOSURE_EVENT, exposureFor, type ExposureEvent, type ExposureSink, type InterleavingRecord } from './exposure.js';
export { newEventId } from './event-id.js';
export { createMemorySink, type MemorySink } from './sinks/memory-sink.js';
export { withDedupe, type DedupeOptions } from './sinks/dedupe.js';
export {
  createBatchingSink,
  type BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkRetryOptions,
  type BatchingSinkErrorInfo,
  type BatchingSinkStats,
  type DeliverySignal,
  type FlushOptions,
} from './sinks/batching-sink.js';
export {
  createBucketry,
  type Bucketry,
  type BucketryOptions,
  type BucketryErrorContext,
  type CallOptions,
} from './client.js';
export type { BucketryStatus } from './config-status.js';
