/**
 * Runs spec/vectors.json (written by the Python reference, spec/generate_vectors.py) against an
 * implementation of the core API and lists every disagreement. Test support only.
 *
 * It takes the API as an argument and imports nothing of core at run time, so the same code runs in
 * Node, in the edge runtime and, bundled on its own, in a browser page next to a bundle of
 * index.ts.
 */
import type * as Core from '../index.js';
import {
  SECTIONS,
  type CoreApi,
  type JsonExperimentConfig,
  type CaseOutcome,
  type StickyRecord,
  type PublicPlanFacts,
  type SpecVectors,
  type SpecResults,
  type Section,
  type Mismatch,
} from './spec-vector-types.js';

export * from './spec-vector-types.js';

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
