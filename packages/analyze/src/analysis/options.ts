import { DEFAULT_SEQUENTIAL_HORIZON } from '@bucketry/stats';
import { DEFAULT_SRM_POLICY, type Guardrail, type RatioSpec, type SrmPolicy, type ValueSpec } from '../policy/policy.js';
import type { SignificantHarmOutcome } from '../policy/outcome.js';
import { MAX_VARIANTS } from './unit-table.js';
import { resolveCupedWindow } from './cuped-options.js';
import { resolveSegmentOptions } from './segment-options.js';
import { failOption } from './options-error.js';
import { sequentialOptions, type SequentialOptions } from './sequential-options.js';
import { resolveTrackedEvents, resolveValueSeries } from './series-options.js';

/**
 * What an analysis needs to know. Only `experiment` and `variants` are required.
 *
 * @example
 * ```ts
 * const options: AnalyzeOptions = {
 *   experiment: 'skill_tree_layout',
 *   variants: ['tree', 'list'],
 *   weights: [90, 10],
 *   metrics: ['session_started_from_tree'],
 *   guardrails: [parseGuardrailSpec('rate:skill_tree_error:2%:5%')],
 * };
 * ```
 */
export interface AnalyzeOptions {
  /** The experiment key on the exposures, e.g. `skill_tree_layout`. */
  readonly experiment: string;
  /** The variants expected, control first. An exposure to any other variant is a bad line. */
  readonly variants: readonly string[];
  /** Expected traffic weights, one per variant (default equal), e.g. [90, 10]. */
  readonly weights?: readonly number[];
  /** Success metrics: event names; a unit converts when it has the event after its first exposure. */
  readonly metrics?: readonly string[];
  /**
   * Numeric properties of events, e.g. `{ event: 'llm_call', property: 'cost_usd' }`: per unit,
   * the sum of the unit's values and their mean, each compared between variants on units.
   */
  readonly values?: readonly ValueSpec[];
  /** Ratios of per-unit sums (Σ numerator / Σ denominator per variant), e.g. cache hits per lookup. */
  readonly ratios?: readonly RatioSpec[];
  /**
   * Funnels, each a list of two or more event names: a unit reaches step k when it had each of
   * the first k events at or after its first exposure (in any order).
   */
  readonly funnels?: readonly (readonly string[])[];
  /** What a success metric significantly worse than control (after the Holm correction) recommends. Default `hold`. */
  readonly onSignificantHarm?: SignificantHarmOutcome;
  readonly guardrails?: readonly Guardrail[];
  readonly srm?: Partial<SrmPolicy>;
  /**
   * Width of the time buckets for exposure balance, ms. Default: chosen from the data, the finest
   * round width at which most units fall in buckets large enough to be judged.
   */
  readonly intervalMs?: number;
  /** Balance tolerance in percentage points; default 10·√(w(1−w)) for a variant's share w. */
  readonly balanceTolerancePoints?: number;
  /**
   * Buckets with fewer units are shown but not judged. Default: where the tolerance spans three
   * standard errors of a share, w(1−w)·(300/t)² (900 units with the default tolerance).
   */
  readonly balanceMinUnits?: number;
  /** Only exposures with this `configVersion` count (one ramp stage). */
  readonly configVersion?: string;
  /** Two-sided confidence level of the lift intervals. Default 0.95. */
  readonly confidence?: number;
  /**
   * Decide on the always-valid tests (mSPRT) instead of the fixed-horizon ones: for an experiment
   * analysed again and again as data arrives. Both are always reported. Default false.
   */
  readonly sequential?: boolean;
  /** Units (both arms) near which the always-valid confidence sequences are narrowest. Default 10,000. */
  readonly sequentialHorizon?: number;
  /** Parse every line. By default, lines that name neither the exposure event, a tracked event nor a duration field are only checked to look like a JSON object. */
  readonly strict?: boolean;
  /** Bad lines kept, with line number and reason, in the report. Default 20. */
  readonly maxBadLineExamples?: number;
  /**
   * Worker threads that parse lines while the calling thread reads the input and tallies them;
   * 0 does it all on the calling thread. The results are the same. Default 0 for a stream;
   * `analyzeFile` and the CLI use 2 for files of 64 MiB or more when three cores are free (see
   * defaultThreads).
   */
  readonly threads?: number;
  /**
   * Exposure properties to slice by, e.g. `['role', 'region']`: each unit counts in the slice of
   * the value on its first exposure (read from the exposure's properties, else the user's
   * attributes: Segment's `context.traits`, Amplitude's `user_properties`). Slices inform; they
   * never change the decision.
   */
  readonly segments?: readonly string[];
  /** Slices whose smallest arm has fewer units are flagged small. Default 100 (DEFAULT_SEGMENT_MIN_UNITS). */
  readonly segmentMinUnits?: number;
  /**
   * CUPED: the window (ms) before each unit's first exposure whose events give the covariate of
   * the success metrics, the durations and the value metrics' totals. Default none.
   */
  readonly cupedWindowMs?: number;
}

/**
 * {@link AnalyzeOptions} with every default filled in.
 *
 * @example
 * ```ts
 * const resolved: ResolvedOptions = resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
 * resolved.weights; // [1, 1]
 * ```
 */
export interface ResolvedOptions {
  readonly experiment: string;
  readonly variants: readonly string[];
  readonly weights: readonly number[];
  readonly metrics: readonly string[];
  /** Success metrics first, then the events guardrails track; no duplicates. */
  readonly trackedEvents: readonly string[];
  /**
   * Every series of numbers kept per unit, no duplicates: the value metrics', the ratios' and the
   * value guardrails' (a spec without a property is the count of the event).
   */
  readonly valueSeries: readonly ValueSpec[];
  /** The value metrics, as indices in valueSeries. */
  readonly values: readonly number[];
  /** The ratios, as indices in valueSeries. */
  readonly ratios: readonly { readonly numerator: number; readonly denominator: number }[];
  /** The funnels' steps, as event names (each also in trackedEvents). */
  readonly funnels: readonly (readonly string[])[];
  readonly onSignificantHarm: SignificantHarmOutcome;
  readonly guardrails: readonly Guardrail[];
  readonly srm: SrmPolicy;
  /** `undefined`: chosen from the data. */
  readonly intervalMs: number | undefined;
  readonly balanceTolerancePoints: number | undefined;
  /** `undefined`: from the tolerance (three standard errors). */
  readonly balanceMinUnits: number | undefined;
  readonly configVersion: string | undefined;
  readonly confidence: number;
  /** The always-valid tests: whether they decide, and the horizon n* they are tuned for. */
  readonly sequential: SequentialOptions;
  readonly strict: boolean;
  readonly maxBadLineExamples: number;
  readonly threads: number;
  /** Segment properties, none by default. */
  readonly segments: readonly string[];
  readonly segmentMinUnits: number;
  /** `undefined`: no CUPED. */
  readonly cupedWindowMs: number | undefined;
}

/** More worker threads than this only cost memory. */
export const MAX_THREADS = 16;

/** Bad lines kept as examples when `maxBadLineExamples` is not given. */
export const DEFAULT_MAX_BAD_LINE_EXAMPLES = 20;

/**
 * Fills in defaults and checks every option; throws {@link AnalyzeOptionsError}.
 *
 * @example
 * ```ts
 * resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] }).weights; // [1, 1]
 * ```
 */
export function resolveOptions(options: AnalyzeOptions): ResolvedOptions {
  const { experiment, variants } = options;
  if (typeof experiment !== 'string' || experiment.length === 0) failOption('experiment', experiment, 'must be a non-empty string');
  if (!Array.isArray(variants) || variants.length < 2 || variants.length > MAX_VARIANTS) {
    failOption('variants', variants, `must list 2 to ${MAX_VARIANTS} variants, control first`);
  }
  variants.forEach((v, i) => {
    if (typeof v !== 'string' || v.length === 0) failOption(`variants[${i}]`, v, 'must be a non-empty string');
    if (variants.indexOf(v) !== i) failOption(`variants[${i}]`, v, 'must be unique');
  });
  const weights = options.weights ?? variants.map(() => 1);
  if (weights.length !== variants.length || weights.some((w) => !(w >= 0 && Number.isFinite(w))) || !weights.some((w) => w > 0)) {
    failOption('weights', weights, `must be ${variants.length} numbers >= 0 (one per variant, control first), not all 0`);
  }
  const metrics = [...new Set(options.metrics ?? [])];
  const guardrails = options.guardrails ?? [];
  const { trackedEvents, funnels } = resolveTrackedEvents(metrics, guardrails, options.funnels ?? []);
  const { valueSeries, values, ratios } = resolveValueSeries(options.values ?? [], options.ratios ?? [], guardrails);
  const srm = { ...DEFAULT_SRM_POLICY, ...options.srm };
  const onSignificantHarm = options.onSignificantHarm ?? 'hold';
  if (onSignificantHarm !== 'hold' && onSignificantHarm !== 'rollback') failOption('onSignificantHarm', onSignificantHarm, 'must be "hold" or "rollback"');
  const intervalMs = options.intervalMs;
  if (intervalMs !== undefined && (!(intervalMs >= 1000) || !Number.isFinite(intervalMs))) failOption('intervalMs', intervalMs, 'must be at least 1000 (one second)');
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) failOption('confidence', confidence, 'must be between 0 and 1');
  const sequential = options.sequential ?? false;
  if (typeof sequential !== 'boolean') failOption('sequential', sequential, 'must be true or false');
  const horizon = options.sequentialHorizon ?? DEFAULT_SEQUENTIAL_HORIZON;
  if (!Number.isInteger(horizon) || horizon < 1) failOption('sequentialHorizon', horizon, 'must be a whole number of units >= 1');
  const balanceMinUnits = options.balanceMinUnits;
  if (balanceMinUnits !== undefined && (!Number.isInteger(balanceMinUnits) || balanceMinUnits < 1)) failOption('balanceMinUnits', balanceMinUnits, 'must be a whole number >= 1');
  const threads = options.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0 || threads > MAX_THREADS) failOption('threads', threads, `must be a whole number from 0 to ${MAX_THREADS}`);
  const tolerance = options.balanceTolerancePoints;
  if (tolerance !== undefined && !(tolerance > 0 && tolerance <= 100)) failOption('balanceTolerancePoints', tolerance, 'must be above 0 and at most 100');
  return {
    experiment,
    variants,
    weights,
    metrics,
    trackedEvents,
    valueSeries,
    values,
    ratios,
    funnels,
    onSignificantHarm,
    guardrails,
    srm,
    intervalMs,
    balanceTolerancePoints: tolerance,
    balanceMinUnits,
    configVersion: options.configVersion,
    confidence,
    sequential: sequentialOptions(confidence, sequential, horizon),
    strict: options.strict ?? false,
    maxBadLineExamples: options.maxBadLineExamples ?? DEFAULT_MAX_BAD_LINE_EXAMPLES,
    threads,
    ...resolveSegmentOptions(options.segments, options.segmentMinUnits),
    cupedWindowMs: resolveCupedWindow(options.cupedWindowMs),
  };
}
