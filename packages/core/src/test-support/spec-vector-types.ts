/**
 * The shape of spec/vectors.json, section by section, and of what running it gives (see
 * spec-vectors.ts, which runs it). Test support only; types and the list of sections alone.
 */
import type * as Core from '../index.js';

/** The parts of the public API the vectors exercise. */
export type CoreApi = Pick<
  typeof Core,
  | 'xxhash32'
  | 'bucketOf'
  | 'seedFor'
  | 'SEED_PURPOSE'
  | 'unitKey'
  | 'defineExperiment'
  | 'assignVariant'
  | 'createMemoryStickyStore'
  | 'ExperimentConfigError'
  | 'interleave'
> & {
  /** Defines an experiment from a JSON configuration, where the API has such an entry point. */
  experimentFromJSON?: (config: never) => Core.Experiment;
};

/** An experiment configuration as the vectors hold it: JSON, so eligibility is a JSON rule. */
export type JsonExperimentConfig = Omit<Core.ExperimentConfig, 'eligibility'> & { eligibility?: Core.EligibilityRule };

/** What an assignment case expects (and what running it gives). */
export interface CaseOutcome {
  variant: string;
  inExperiment: boolean;
  reason: string;
  bucket: number;
  /** The unit's canonical key, '' when missing. */
  unit: string;
  /** The variant's value (§5.7), only for an experiment whose variants have values. */
  value?: unknown;
  /** With a sticky store: its records after the call, ordered by experiment, then unit. */
  records?: StickyRecord[];
}

/** A sticky store's record (§8 of docs/spec.md). */
export interface StickyRecord {
  unit: string;
  experiment: string;
  variant: string;
}

export interface SpecCase {
  name: string;
  experiment: JsonExperimentConfig;
  unit: Core.Unit | null;
  /** The unit's attributes; `null` is passed as null (§7: absent or null is `{}`). */
  attributes?: Core.Attributes | null;
  /** A variant the caller forces for this call only, such as an HTTP QA override (§7, step 3). */
  override?: string;
  /** A sticky store holding these records before the call (§8). */
  sticky?: StickyRecord[];
  expected: CaseOutcome;
}

/** What an experiment's configuration comes to (§5 of docs/spec.md). */
export interface PlanFacts {
  rolloutBuckets: number;
  trafficBuckets: number;
  treatmentBounds: number[];
  trafficSeed: number;
  rolloutSeed: number;
  variantSeed: number;
  layerSeed: number;
  holdoutSeed: number;
  layerFrom: number;
  layerTo: number;
  holdoutBuckets: number;
  header: string;
  cookie: string;
}

/**
 * The part of {@link PlanFacts} the public API shows. The rest (thresholds, seeds, bounds) is
 * internal; the seeds, percents and exact-boundary assignment cases pin it down instead.
 */
// The header and cookie names are @bucketry/http's (its experiment-names test checks them).
export type PublicPlanFacts = Pick<PlanFacts, 'rolloutBuckets'>;

export interface SpecVectors {
  hashes: { input: string; seed: number; hash: number }[];
  buckets: { hash: number; bucket: number }[];
  seeds: { salt: string; purpose: keyof typeof Core.SEED_PURPOSE; seed: number }[];
  percents: { percent: number; buckets: number }[];
  units: { unit: Core.Unit | null; key: string | null; bytesHex: string | null }[];
  plans: ({ experiment: JsonExperimentConfig } & PlanFacts)[];
  invalidConfigs: { name: string; experiment: JsonExperimentConfig; field: string }[];
  cases: SpecCase[];
  interleavings: SpecInterleaving[];
}

/** An interleaving vector (§13): the list a unit sees, or the field a bad request is refused by. */
export interface SpecInterleaving {
  name: string;
  experiment: JsonExperimentConfig;
  unit: Core.Unit | null;
  attributes?: Core.Attributes;
  /** The request; in the `invalid/request-*` vectors, a value that is no map (null, an array, a string). */
  request: Core.InterleaveRequest;
  expected: InterleavingOutcome | { error: string };
}

/** What an interleaving vector expects (and what running it gives). */
export interface InterleavingOutcome {
  variant: string;
  reason: string;
  interleaved: boolean;
  items: Core.InterleavedItem[];
}

/** What one implementation makes of the vectors, section by section, in vector order. JSON-safe. */
export interface SpecResults {
  hashes: number[];
  buckets: number[];
  seeds: number[];
  percents: (number | { error: string })[];
  /** The unit's key, and whether it hashes as the spec's bytes for it (null when missing). */
  units: { key: string | null; hashedAsSpecBytes: boolean | null }[];
  plans: (PublicPlanFacts | { error: string })[];
  /** The field the error named, or what happened instead. */
  invalidConfigs: string[];
  cases: (CaseOutcome | { error: string })[];
  interleavings: (InterleavingOutcome | { error: string })[];
}

export const SECTIONS = ['hashes', 'buckets', 'seeds', 'percents', 'units', 'plans', 'invalidConfigs', 'cases', 'interleavings'] as const;
export type Section = (typeof SECTIONS)[number];

/** One disagreement between the vectors and an implementation. */
export interface Mismatch {
  section: Section;
  /** The case name, or the index in its section. */
  name: string;
  expected: unknown;
  actual: unknown;
}
