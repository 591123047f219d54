/**
 * Runs spec/vectors.json (written by the Python reference, spec/generate_vectors.py) against an
 * implementation of the core API and lists every disagreement. Test support only.
 *
 * It takes the API as an argument and imports nothing at run time, so the same code runs in
 * Node, in the edge runtime and, bundled on its own, in a browser page next to a bundle of
 * index.ts.
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

// By experiment, then unit, comparing UTF-16 code units, as the vectors list them.
const sortRecords = (records: StickyRecord[]): StickyRecord[] =>
  records.sort((a, b) => (a.experiment < b.experiment ? -1 : a.experiment > b.experiment ? 1 : a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));

const fromHex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));

const message = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

// Experiment.rollout is the rollout threshold in percent: buckets / 10,000.
const bucketsOf = (percent: number): number => Math.round(percent * 10_000);

const publicPlanFacts = (experiment: Core.Experiment): PublicPlanFacts => ({
  rolloutBuckets: bucketsOf(experiment.rollout),
});

/** Runs every vector through `core`. Never throws for a single bad vector: errors become results. */
export function runSpecVectors(core: CoreApi, vectors: SpecVectors): SpecResults {
  // The vectors hold JSON configurations (eligibility as a JSON rule, holdout and layer as plain
  // objects): they go through experimentFromJSON where there is one, else defineExperiment.
  const fromJson = (config: JsonExperimentConfig): Core.Experiment =>
    core.experimentFromJSON ? core.experimentFromJSON(config as never) : core.defineExperiment(config as Core.ExperimentConfig);
  const defined = new Map<string, Core.Experiment>();
  const define = (config: JsonExperimentConfig): Core.Experiment => {
    const id = JSON.stringify(config);
    let experiment = defined.get(id);
    if (experiment === undefined) defined.set(id, (experiment = fromJson(config)));
    return experiment;
  };
  // The bytes a unit is hashed as are not public, but its buckets are: with rollout 100 every
  // unit reaches the rollout hash, so its reported bucket must be that of the spec's bytes. Two
  // salts make a false match a one-in-10^12 event.
  const hashesAsBytes = (unit: Core.Unit | null, bytes: Uint8Array): boolean =>
    ['encoding-check-1', 'encoding-check-2'].every((salt) => {
      const experiment = define({ key: 'encoding_check', salt, variants: ['a', 'b'], rollout: 100 });
      const expected = core.bucketOf(core.xxhash32(bytes, core.seedFor(salt, core.SEED_PURPOSE.rollout)));
      return core.assignVariant(experiment, unit).bucket === expected;
    });
  const attempt = <T>(run: () => T): T | { error: string } => {
    try {
      return run();
    } catch (error) {
      return { error: message(error) };
    }
  };

  return {
    hashes: vectors.hashes.map((v) => core.xxhash32(v.input, v.seed)),
    buckets: vectors.buckets.map((v) => core.bucketOf(v.hash)),
    seeds: vectors.seeds.map((v) => core.seedFor(v.salt, core.SEED_PURPOSE[v.purpose])),
    // A percentage's bucket count, read back from the rollout it sets.
    percents: vectors.percents.map((v) => attempt(() => bucketsOf(define({ key: 'percent', variants: ['a', 'b'], rollout: v.percent }).rollout))),
    units: vectors.units.map((v) => ({
      key: core.unitKey(v.unit) ?? null,
      hashedAsSpecBytes: v.bytesHex === null ? null : hashesAsBytes(v.unit, fromHex(v.bytesHex)),
    })),
    plans: vectors.plans.map((v) => attempt(() => publicPlanFacts(define(v.experiment)))),
    invalidConfigs: vectors.invalidConfigs.map((v) => {
      try {
        fromJson(v.experiment);
        return 'accepted';
      } catch (error) {
        return error instanceof core.ExperimentConfigError ? error.field : `not an ExperimentConfigError: ${message(error)}`;
      }
    }),
    cases: vectors.cases.map((c) =>
      attempt(() => {
        const sticky = c.sticky && core.createMemoryStickyStore(c.sticky);
        // Options only when the case has some, so that a case without them runs the 3-argument call.
        const options = c.override !== undefined || sticky ? { override: c.override, sticky } : undefined;
        const experiment = define(c.experiment);
        const { variant, inExperiment, reason, bucket, unit, value } = core.assignVariant(experiment, c.unit, c.attributes, options);
        const outcome: CaseOutcome = { variant, inExperiment, reason, bucket, unit };
        if (experiment.values !== undefined) outcome.value = value;
        if (sticky) outcome.records = sortRecords(sticky.records());
        return outcome;
      }),
    ),
    interleavings: vectors.interleavings.map((v) =>
      attempt(() => {
        const { assignment, interleaved, items } = core.interleave(define(v.experiment), v.unit, v.request, v.attributes);
        // A refused request is not thrown: it is the error the assignment carries.
        const { error } = assignment;
        if (assignment.reason === 'error') return { error: error instanceof core.ExperimentConfigError ? error.field : `not an ExperimentConfigError: ${message(error)}` };
        return { variant: assignment.variant, reason: assignment.reason, interleaved, items: [...items] };
      }),
    ),
  };
}

const expectedOf: { [S in Section]: (vectors: SpecVectors, i: number) => unknown } = {
  hashes: (v, i) => v.hashes[i]!.hash,
  buckets: (v, i) => v.buckets[i]!.bucket,
  seeds: (v, i) => v.seeds[i]!.seed,
  percents: (v, i) => v.percents[i]!.buckets,
  units: (v, i) => ({ key: v.units[i]!.key, hashedAsSpecBytes: v.units[i]!.bytesHex === null ? null : true }),
  plans: (v, i) => {
    const { rolloutBuckets } = v.plans[i]!;
    return { rolloutBuckets };
  },
  invalidConfigs: (v, i) => v.invalidConfigs[i]!.field,
  cases: (v, i) => v.cases[i]!.expected,
  interleavings: (v, i) => v.interleavings[i]!.expected,
};

const nameOf = (vectors: SpecVectors, section: Section, i: number): string => {
  if (section === 'cases') return vectors.cases[i]!.name;
  if (section === 'invalidConfigs') return vectors.invalidConfigs[i]!.name;
  if (section === 'interleavings') return vectors.interleavings[i]!.name;
  return `${section}[${i}]`;
};

// Exact, order-insensitive for object keys: JSON text of values whose keys are sorted.
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/**
 * Every place where `results` differs from what the vectors expect, compared exactly (including
 * the case count, so a truncated run cannot pass).
 */
export function specMismatches(vectors: SpecVectors, results: SpecResults): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const section of SECTIONS) {
    const expectedCount = vectors[section].length;
    const actual = results[section] as unknown[];
    if (actual.length !== expectedCount) {
      mismatches.push({ section, name: `${section}.length`, expected: expectedCount, actual: actual.length });
    }
    for (let i = 0; i < expectedCount; i++) {
      const expected = expectedOf[section](vectors, i);
      if (canonicalJson(actual[i]) !== canonicalJson(expected)) {
        mismatches.push({ section, name: nameOf(vectors, section, i), expected, actual: actual[i] });
      }
    }
  }
  return mismatches;
}
