import type { BadLineExample, ExportAccumulator } from './accumulator.js';
import { buildBalance, type Balance } from './balance.js';
import { buildChecks, byStatus, type Check } from './checks.js';
import { summarizeDurations, type DurationSummary } from './durations.js';
import { analyzeFunnels, type FunnelResult } from './funnels.js';
import { evaluateGuardrails, type GuardrailResult } from './guardrails.js';
import { compareMetrics, type MetricResult } from './metrics.js';
import { bySeverity, worstOutcome, type Outcome } from '../policy/outcome.js';
import { checkSampleRatio, sequentialSampleRatio, type SampleRatioCheck } from './srm.js';
import { ratioMoments, unitTallies } from './unit-moments.js';
import { summarizeUnits } from './unit-summary.js';
import { summarizeVariants, type VariantSummary } from './variant-summary.js';
import { buildCuped, type CupedReport } from './cuped.js';
import { buildSegments, type SegmentResult } from './segments.js';
import { ratioMetric, valueMetric, type RatioResult, type ValueMetricResult } from './value-metrics.js';

export { byStatus, type Check } from './checks.js';
export type { VariantSummary } from './variant-summary.js';

/**
 * What the input held.
 *
 * @example
 * ```ts
 * const { lines, badLines, distinctUnits } = report.input;
 * ```
 */
export interface InputSummary {
  readonly lines: number;
  readonly blankLines: number;
  /** Events parsed (exposures and tracked or timed events). */
  readonly events: number;
  /**
   * Of them, events of this experiment (exposures, tracked events, durations, values) ignored
   * because their event id (`eventId`, `messageId`, `insert_id`, `$insert_id`) was counted
   * already: a batch delivered twice doubles nothing.
   */
  readonly duplicateEvents: number;
  /** Events of this experiment without an event id: counted, all kept, as a copy cannot be told apart. */
  readonly eventsWithoutId: number;
  /** Lines that mention nothing the analysis uses, not parsed. */
  readonly unrelatedLines: number;
  readonly flavors: { readonly segment: number; readonly amplitude: number; readonly bucketry: number };
  readonly badLines: { readonly count: number; readonly byReason: Readonly<Record<string, number>>; readonly examples: readonly BadLineExample[] };
  readonly otherExperimentExposures: number;
  readonly otherVersionExposures: number;
  /** Exposures of this experiment per `configVersion`. */
  readonly configVersions: Readonly<Record<string, number>>;
  /** ISO 8601 of the first and last exposure or tracked event; `null` with none. */
  readonly from: string | null;
  readonly to: string | null;
  /** Distinct units with state (exposed or with a tracked event): what memory grows with. */
  readonly distinctUnits: number;
  /** Units with a tracked event and no counted exposure. */
  readonly unexposedUnits: number;
  readonly unattributedDurations: number;
  /**
   * Why they were not attributed: the unit was exposed only under config versions left out by
   * `configVersion`, was not exposed (yet), was in several variants by then, or the event came
   * before the unit's first exposure.
   */
  readonly unattributedDurationReasons: { readonly otherConfigVersion: number; readonly notExposed: number; readonly inSeveralVariants: number; readonly beforeExposure: number };
  /** Durations of events beyond the first 64 event names with durations (MAX_DURATION_EVENTS), dropped. */
  readonly droppedDurations: number;
  /** Values of numeric properties (`values`, `ratios`, value guardrails) of units not exposed to one variant by then, left out: they are attributed as the lines stream, as durations are. */
  readonly unattributedValues: number;
}

/**
 * The analysis of one experiment. `--format json` prints exactly this; numbers that do not exist
 * (a share of nothing, a relative lift over a zero rate, an infinite χ²) are `null`, never absent.
 *
 * @example
 * ```ts
 * const report: AnalysisReport = await analyzeFile('exposures.jsonl', options);
 * if (report.srm.status === 'fail') console.warn(formatText(report));
 * ```
 */
export interface AnalysisReport {
  /**
   * The shape of this object, raised when a field changes meaning or goes: 2 since the checks, the
   * guardrails' arms and the sample ratio check carry codes and numbers instead of sentences (the
   * formatters word them) and `reasons` lists indices into `checks`.
   */
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly experiment: string;
  readonly control: string;
  readonly configVersion: string | null;
  readonly confidence: number;
  /**
   * The always-valid tests (mSPRT) reported beside the fixed-horizon ones: whether they decide
   * (the success metrics' harm check and the non-inferiority guardrails), and the units n* their
   * confidence sequences are tuned for.
   */
  readonly sequential: { readonly decides: boolean; readonly horizon: number };
  readonly input: InputSummary;
  readonly variants: readonly VariantSummary[];
  readonly mixedUnits: number;
  readonly srm: SampleRatioCheck;
  readonly balance: Balance;
  readonly metrics: readonly MetricResult[];
  /** Numeric properties of events (`values`), per unit. */
  readonly values: readonly ValueMetricResult[];
  /** Ratios of per-unit sums (`ratios`). */
  readonly ratios: readonly RatioResult[];
  /** Funnels (`funnels`). */
  readonly funnels: readonly FunnelResult[];
  readonly durations: readonly DurationSummary[];
  /**
   * Slices by each `segments` property (empty without): units and metric comparisons per slice,
   * Holm-adjusted over metrics × slices. They inform; the decision is the whole experiment's.
   */
  readonly segments: readonly SegmentResult[];
  /** CUPED-adjusted comparisons (`cupedWindowMs`), reported beside the unadjusted ones that decide; `null` without. */
  readonly cuped: CupedReport | null;
  readonly guardrails: readonly GuardrailResult[];
  readonly checks: readonly Check[];
  readonly decision: Outcome;
  /** The checks as indices into `checks`, the ones that drove the decision first (the text report's reasons). */
  readonly reasons: readonly number[];
}

/** {@link AnalysisReport.schemaVersion}. */
export const REPORT_SCHEMA_VERSION = 2;

const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** Turns what the accumulator gathered into the report: statistics, checks and the decision. */
export function buildReport(acc: ExportAccumulator): AnalysisReport {
  const options = acc.options;
  const { variants, weights } = options;
  const summary = summarizeUnits(acc.units, variants.length);
  const variantSummaries = summarizeVariants(variants, weights, acc.exposures, summary);
  const totalUnits = summary.units.reduce((sum, n) => sum + n, 0);

  const srm = checkSampleRatio(summary.units, weights, options.srm, sequentialSampleRatio(acc.units, weights));
  // The tracked events are the success metrics, the guardrails' metrics, then events only funnels use: those are no metrics of their own.
  const metricEvents = options.trackedEvents.filter(
    (e) => options.metrics.includes(e) || options.guardrails.some((g) => (g.type === 'rate' || g.type === 'non-inferiority') && g.metric === e),
  ).length;
  const balance = buildBalance(acc.units, {
    metricCount: metricEvents,
    variants,
    weights,
    intervalMs: options.intervalMs,
    tolerancePoints: options.balanceTolerancePoints,
    minUnits: options.balanceMinUnits,
    from: summary.firstExposureMin,
    to: summary.firstExposureMax,
  });
  const tallies = options.valueSeries.map((_, s) => unitTallies(acc.units, acc.unitValues, s, variants.length));
  const metrics = compareMetrics(
    options.trackedEvents.slice(0, metricEvents),
    options.metrics.length,
    variants,
    summary.units,
    summary.conversions.slice(0, metricEvents),
    options.confidence,
    options.sequential,
  );
  const guardrails = evaluateGuardrails(
    options.guardrails,
    variants,
    metrics,
    (event) => acc.durations.series.get(event)?.byVariant,
    (event) => acc.trackedEventCounts[options.trackedEvents.indexOf(event)] ?? 0,
    options.sequential,
    (event, property) => {
      const s = options.valueSeries.findIndex((v) => v.event === event && v.property === property);
      return s < 0 ? undefined : { tallies: tallies[s]!, values: acc.valueCounts[s]! };
    },
  );
  const durations = summarizeDurations(acc.durations.series, variants, options.confidence, options.sequential, { table: acc.units, values: acc.durations.unitValues, sample: acc.durations.sample });
  const values = options.values.map((s) => valueMetric(options.valueSeries[s]!, variants, tallies[s]!, options.confidence, options.sequential));
  const ratios = options.ratios.map(({ numerator, denominator }) =>
    ratioMetric(
      { numerator: options.valueSeries[numerator]!, denominator: options.valueSeries[denominator]! },
      variants,
      ratioMoments(acc.units, acc.unitValues, numerator, denominator, variants.length),
      options.confidence,
      options.sequential,
    ),
  );

  const funnels = analyzeFunnels(options.funnels, (event) => options.trackedEvents.indexOf(event), acc.units, variants, options.confidence, options.sequential);

  const checks = buildChecks({
    options,
    variants: variantSummaries,
    srm,
    metrics,
    mixedUnits: summary.mixedUnits,
    exposedUnits: totalUnits + summary.mixedUnits,
    configVersions: [...acc.configVersions.keys()],
    balance,
    badLines: acc.badLineCount,
    badLinesByCategory: acc.badLinesByCategory,
    guardrails,
  });

  const decision = worstOutcome(checks.map((c) => c.outcome));
  const reasons = checks.map((_, index) => index).sort((a, b) => bySeverity(checks[a]!.outcome, checks[b]!.outcome) || byStatus(checks[a]!, checks[b]!));

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    experiment: options.experiment,
    control: variants[0]!,
    configVersion: options.configVersion ?? null,
    confidence: options.confidence,
    sequential: { decides: options.sequential.decides, horizon: options.sequential.horizon },
    input: {
      lines: acc.lines,
      blankLines: acc.blankLines,
      events: acc.events,
      duplicateEvents: acc.duplicateEvents.duplicates,
      eventsWithoutId: acc.duplicateEvents.withoutId,
      unrelatedLines: acc.unrelatedLines,
      flavors: { ...acc.flavors },
      badLines: { count: acc.badLineCount, byReason: Object.fromEntries(acc.badLinesByCategory), examples: acc.badLineExamples },
      otherExperimentExposures: acc.otherExperimentExposures,
      otherVersionExposures: acc.otherVersionExposures,
      configVersions: Object.fromEntries(acc.configVersions),
      from: iso(acc.firstTime),
      to: iso(acc.lastTime),
      distinctUnits: acc.units.size,
      unexposedUnits: summary.unexposedUnits,
      unattributedDurations: acc.durations.unattributed,
      unattributedDurationReasons: { ...acc.durations.unattributedReasons },
      droppedDurations: acc.durations.dropped,
      unattributedValues: acc.unattributedValues,
    },
    variants: variantSummaries,
    mixedUnits: summary.mixedUnits,
    srm,
    balance,
    metrics,
    values,
    ratios,
    funnels,
    durations,
    segments: buildSegments(acc, metricEvents),
    cuped: buildCuped(acc),
    guardrails,
    checks,
    decision,
    reasons,
  };
}
