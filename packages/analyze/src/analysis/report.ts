import { count, counted, decimal, percent } from '../format/numbers.js';
import { formatDuration } from '../policy/quantities.js';
import type { ExportAccumulator, BadLineExample } from './accumulator.js';
import { buildBalance, type Balance } from './balance.js';
import { evaluateGuardrails, type GuardrailResult } from './guardrails.js';
import { significantHarmChecks } from './metric-harm.js';
import { summarizeDurations, type DurationSummary } from './durations.js';
import { compareMetrics, type MetricResult } from './metrics.js';
import { bySeverity, worstOutcome, type Outcome } from './outcome.js';
import { checkSampleRatio, chiSquareText, sampleRatioTestsText, sequentialSampleRatio, type SampleRatioCheck } from './srm.js';
import { summarizeUnits } from './unit-summary.js';

/** Share of exposed units in several variants above which the check warns. */
export const MIXED_UNITS_WARN_SHARE = 0.01;

/**
 * One variant's exposure counts.
 *
 * @example
 * ```ts
 * for (const v of report.variants) console.log(v.name, v.units, v.share);
 * ```
 */
export interface VariantSummary {
  readonly name: string;
  /** Expected share of units from the weights, 0–1. */
  readonly expectedShare: number;
  /** Exposure events (every one, including those of units later excluded). */
  readonly exposures: number;
  /** Distinct units exposed to this variant only: the analysis population. */
  readonly units: number;
  /** Units exposed to this variant and another: excluded, counted here. */
  readonly mixedUnits: number;
  /** Observed share of units; `null` when there are none at all. */
  readonly share: number | null;
}

/**
 * One check behind the decision.
 *
 * @example
 * ```ts
 * const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.message);
 * ```
 */
export interface Check {
  /** `srm`, `missing-variant`, `success-metric`, `mixed-units`, `config-versions`, `balance`, `bad-lines` or `guardrail`. */
  readonly check: string;
  /**
   * `fail` decides (its outcome), `warn` asks for attention, `pass` is a test passed, `info` is
   * information (units left out below the warning threshold), `not-applicable` when there is
   * nothing to test (the sample ratio at 100% rollout).
   */
  readonly status: 'pass' | 'info' | 'warn' | 'fail' | 'not-applicable';
  readonly outcome: Outcome;
  readonly message: string;
}

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
}

/**
 * The analysis of one experiment. `--format json` prints exactly this; numbers that do not exist
 * (a share of nothing, a relative lift over a zero rate, an infinite χ²) are `null`, never absent.
 *
 * @example
 * ```ts
 * const report: AnalysisReport = await analyzeFile('exposures.jsonl', options);
 * if (report.srm.status === 'fail') console.warn(report.reasons[0]);
 * ```
 */
export interface AnalysisReport {
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
  readonly durations: readonly DurationSummary[];
  readonly guardrails: readonly GuardrailResult[];
  readonly checks: readonly Check[];
  readonly decision: Outcome;
  /** The checks' messages, the ones that drove the decision first. */
  readonly reasons: readonly string[];
}

const STATUS_RANK = { fail: 0, warn: 1, info: 2, pass: 3, 'not-applicable': 4 } as const;

/** Orders checks failed first, then warnings, information, passes, and those that did not apply. */
export const byStatus = (a: Check, b: Check): number => STATUS_RANK[a.status] - STATUS_RANK[b.status];

const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** Turns what the accumulator gathered into the report: statistics, checks and the decision. */
export function buildReport(acc: ExportAccumulator): AnalysisReport {
  const options = acc.options;
  const { variants, weights } = options;
  const summary = summarizeUnits(acc.units, variants.length);
  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const totalUnits = summary.units.reduce((sum, n) => sum + n, 0);

  const variantSummaries: VariantSummary[] = variants.map((name, v) => ({
    name,
    expectedShare: weights[v]! / totalWeight,
    exposures: acc.exposures[v]!,
    units: summary.units[v]!,
    mixedUnits: summary.mixedByVariant[v]!,
    share: totalUnits > 0 ? summary.units[v]! / totalUnits : null,
  }));

  const srm = checkSampleRatio(summary.units, weights, options.srm, sequentialSampleRatio(acc.units, weights));
  const balance = buildBalance(acc.units, {
    variants,
    weights,
    intervalMs: options.intervalMs,
    tolerancePoints: options.balanceTolerancePoints,
    minUnits: options.balanceMinUnits,
    from: summary.firstExposureMin,
    to: summary.firstExposureMax,
  });
  const metrics = compareMetrics(options.trackedEvents, options.metrics.length, variants, summary.units, summary.conversions, options.confidence, options.sequential);
  const guardrails = evaluateGuardrails(
    options.guardrails,
    variants,
    metrics,
    (event) => acc.durations.get(event)?.byVariant,
    (event) => acc.trackedEventCounts[options.trackedEvents.indexOf(event)] ?? 0,
    options.sequential,
  );
  const durations = summarizeDurations(acc.durations, variants, options.confidence, options.sequential);

  const checks: Check[] = [];
  const srmLine = `${sampleRatioTestsText(srm)}; units ${variantSummaries.map((v, i) => `${v.name} ${count(v.units)} (expected ${count(srm.expectedUnits[i]!)})`).join(', ')}`;
  checks.push(
    srm.status === 'not-applicable'
      ? { check: 'srm', status: 'not-applicable', outcome: 'proceed', message: `Sample ratio: ${chiSquareText(srm)}` }
      : srm.status === 'fail'
      ? { check: 'srm', status: 'fail', outcome: options.srm.onFail, message: `Sample ratio mismatch: ${srmLine}; p < ${options.srm.failBelow}, so the split is not what the weights say and the results cannot be trusted until the cause is found` }
      : srm.status === 'warn'
        ? { check: 'srm', status: 'warn', outcome: 'proceed', message: `Possible sample ratio mismatch: ${srmLine}; p < ${options.srm.warnBelow}, watch it` }
        : { check: 'srm', status: 'pass', outcome: 'proceed', message: `No sample ratio mismatch: ${srmLine}` },
  );
  for (const v of variantSummaries) {
    if (v.units === 0 && v.expectedShare > 0) {
      checks.push({ check: 'missing-variant', status: 'fail', outcome: 'hold', message: `Variant ${v.name} has no units, but its weight is ${percent(v.expectedShare, 1)}` });
    }
  }
  checks.push(...significantHarmChecks(metrics, options.onSignificantHarm, options.sequential.decides));
  const exposedUnits = totalUnits + summary.mixedUnits;
  if (summary.mixedUnits > 0) {
    const share = summary.mixedUnits / exposedUnits;
    checks.push({
      check: 'mixed-units',
      // Below the threshold it is information, not a test that passed.
      status: share > MIXED_UNITS_WARN_SHARE ? 'warn' : 'info',
      outcome: 'proceed',
      message: `${counted(summary.mixedUnits, 'unit')} (${percent(share)}) exposed to more than one variant, left out${share > MIXED_UNITS_WARN_SHARE ? ': more than 1%, look for bucketing or identity problems' : ''}`,
    });
  }
  const versions = [...acc.configVersions.keys()];
  if (options.configVersion === undefined && versions.length > 1) {
    checks.push({
      check: 'config-versions',
      status: 'warn',
      outcome: 'proceed',
      message: `Exposures span ${versions.length} config versions (${versions.slice(0, 5).join(', ')}${versions.length > 5 ? ', …' : ''}): stages with different weights must not be pooled; analyse one with --config-version`,
    });
  }
  if (balance.flaggedBuckets > 0) {
    checks.push({
      check: 'balance',
      status: 'warn',
      outcome: 'proceed',
      message:
        `${balance.flaggedBuckets} of ${balance.judgedBuckets} judged ${formatDuration(balance.intervalMs)} buckets have a variant's share outside its tolerance (±${balance.tolerancePoints.map((t) => decimal(t, 1)).join('/')} points)` +
        (balance.falseAlarmRate === null ? '' : `; an even split is flagged by chance in ${percent(balance.falseAlarmRate)} of judged buckets (of ${count(balance.minUnits)} units; fewer in larger ones)`),
    });
  }
  if (acc.badLineCount > 0) {
    checks.push({ check: 'bad-lines', status: 'warn', outcome: 'proceed', message: `${counted(acc.badLineCount, 'bad line')} skipped (${[...acc.badLinesByCategory].map(([c, n]) => `${c}: ${count(n)}`).join(', ')})` });
  }
  for (const g of guardrails) {
    if (!g.measured) {
      checks.push({ check: 'guardrail', status: 'warn', outcome: 'proceed', message: `Guardrail ${g.label}: not measured, ${g.note} (zero of them, or not instrumented under this name?)` });
      continue;
    }
    const status = g.outcome === 'proceed' ? 'pass' : 'fail';
    const arms = g.arms.length > 0 ? g.arms.map((a) => a.message).join('; ') : 'no data';
    checks.push({ check: 'guardrail', status, outcome: g.outcome, message: `Guardrail ${g.label}: ${g.outcome} (${arms})` });
  }

  const decision = worstOutcome(checks.map((c) => c.outcome));
  const reasons = [...checks].sort((a, b) => bySeverity(a.outcome, b.outcome) || byStatus(a, b)).map((c) => c.message);

  return {
    experiment: options.experiment,
    control: variants[0]!,
    configVersion: options.configVersion ?? null,
    confidence: options.confidence,
    sequential: { decides: options.sequential.decides, horizon: options.sequential.horizon },
    input: {
      lines: acc.lines,
      blankLines: acc.blankLines,
      events: acc.events,
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
      unattributedDurations: acc.unattributedDurations,
      unattributedDurationReasons: { ...acc.unattributedDurationReasons },
      droppedDurations: acc.droppedDurations,
    },
    variants: variantSummaries,
    mixedUnits: summary.mixedUnits,
    srm,
    balance,
    metrics,
    durations,
    guardrails,
    checks,
    decision,
    reasons,
  };
}
