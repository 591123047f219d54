import { millis, percent } from '../format/numbers.js';
import type { Guardrail, NonInferiorityGuardrail, PercentileGuardrail, RateGuardrail } from '../policy/policy.js';
import { alwaysValidRates } from '@bucketry/stats';
import { relativeLiftBounds } from '@bucketry/stats';
import type { QuantileSketch } from '@bucketry/stats';
import { boundsLevel, judgeBounds } from './bound-verdict.js';
import type { MetricResult } from './metrics.js';
import type { SequentialOptions } from './options.js';
import { meanArms, meanGuardrailLabel, relativeChangeArms, relativeChangeLabel, type ValueLookup } from './value-guardrails.js';
import { worstOutcome, type Outcome } from './outcome.js';

/**
 * One treatment's side of a guardrail.
 *
 * @example
 * ```ts
 * for (const arm of report.guardrails[0].arms) console.log(arm.variant, arm.outcome, arm.message);
 * ```
 */
export interface GuardrailArm {
  readonly variant: string;
  readonly outcome: Outcome;
  /** What was compared with the limits: a relative lift's one-sided bound, a rate, or a duration in ms; `null` without data. */
  readonly value: number | null;
  readonly message: string;
}

/**
 * A guardrail's verdict: the worst over the treatments.
 *
 * @example
 * ```ts
 * const holding = report.guardrails.filter((g) => g.outcome !== 'proceed').map((g) => g.label);
 * ```
 */
export interface GuardrailResult {
  readonly guardrail: Guardrail;
  /**
   * False when a rate or percentile guardrail's event is nowhere in the export: zero errors and an
   * event that is not instrumented look the same, so the check warns instead of deciding.
   */
  readonly measured: boolean;
  /** Why it was not measured, e.g. "no skill_tree_error events in the export"; `null` when measured. */
  readonly note: string | null;
  /** e.g. "session_started_from_tree not more than 5% below control". */
  readonly label: string;
  readonly outcome: Outcome;
  readonly arms: readonly GuardrailArm[];
}

/** Durations of one event per variant, for percentile guardrails. */
export type DurationLookup = (event: string) => readonly QuantileSketch[] | undefined;

/** How many events of a tracked name the export held, for rate guardrails. */
export type EventCountLookup = (event: string) => number;

/** Human-readable statement of what a guardrail requires. */
export function guardrailLabel(g: Guardrail): string {
  switch (g.type) {
    case 'non-inferiority':
      return g.direction === 'lower-is-better'
        ? `${g.metric} not more than ${percent(g.margin, 0)} above control`
        : `${g.metric} not more than ${percent(g.margin, 0)} below control`;
    case 'rate':
      return `${g.metric} rate below ${percent(g.hold, 1)} (rollback above ${percent(g.rollback, 1)})`;
    case 'percentile':
      return `p${g.percentile} ${g.event} below ${millis(g.hold)} (rollback above ${millis(g.rollback)})`;
    case 'mean':
      return meanGuardrailLabel(g);
    case 'relative-change':
      return relativeChangeLabel(g);
  }
}

/** Below `hold` proceed, from hold to `rollback` hold, above rollback roll back. */
const threshold = (value: number, hold: number, rollback: number): Outcome => (value < hold ? 'proceed' : value <= rollback ? 'hold' : 'rollback');

/**
 * The bounds a non-inferiority guardrail judges: the one-sided bounds at α (the ends of the score
 * interval at 1 − 2α), or, when the always-valid tests decide, the ends of the confidence
 * sequence at 1 − α, each of which holds at every look with probability 1 − α at least.
 */
function liftBounds(xC: number, nC: number, xT: number, nT: number, alpha: number, sequential: SequentialOptions | undefined) {
  if (sequential === undefined || !sequential.decides) return relativeLiftBounds(xC, nC, xT, nT, alpha);
  const relative = alwaysValidRates(xC, nC, xT, nT, alpha, sequential.spread).relative;
  return relative === null ? undefined : { lower: relative.low, upper: relative.high };
}

function nonInferiority(g: NonInferiorityGuardrail, metric: MetricResult | undefined, sequential: SequentialOptions | undefined): GuardrailArm[] {
  if (metric === undefined) return [];
  const alpha = g.alpha ?? 0.05;
  const lowerIsBetter = g.direction === 'lower-is-better';
  const level = boundsLevel(alpha, sequential);
  const control = metric.variants[0]!;
  return metric.comparisons.map((c, i): GuardrailArm => {
    const arm = `${c.treatment} vs ${c.control}`;
    const treatment = metric.variants[i + 1]!;
    if (c.absoluteLift === null) return { variant: c.treatment, outcome: 'hold', value: null, message: `${arm}: cannot compare, an arm has no units` };
    // No decision on an interval that does not exist: without control conversions there is no ratio to bound.
    const bounds = c.relativeLift === null ? undefined : liftBounds(control.conversions, control.units, treatment.conversions, treatment.units, alpha, sequential);
    if (c.relativeLift === null || bounds === undefined) {
      return { variant: c.treatment, outcome: 'hold', value: null, message: `${arm}: too few events to judge: control has no ${g.metric} conversions, so the relative lift does not exist yet` };
    }
    // Lower is better (errors): the lift must stay below +margin; higher is better: above −margin.
    const { outcome, value, why } = lowerIsBetter
      ? judgeBounds(bounds.lower, bounds.upper, g.margin, `+${percent(g.margin, 1)}`, 'below')
      : judgeBounds(bounds.lower, bounds.upper, -g.margin, `−${percent(g.margin, 1)}`, 'above');
    return { variant: c.treatment, outcome, value, message: `${arm}: relative lift ${percent(c.relativeLift.estimate, 1, true)}, ${level} ${why}` };
  });
}

function rate(g: RateGuardrail, metric: MetricResult | undefined): GuardrailArm[] {
  if (metric === undefined) return [];
  return metric.variants.slice(1).map((v): GuardrailArm => {
    if (v.rate === null) return { variant: v.name, outcome: 'hold', value: null, message: `${v.name}: no units yet` };
    const outcome = threshold(v.rate, g.hold, g.rollback);
    return { variant: v.name, outcome, value: v.rate, message: `${v.name}: ${percent(v.rate)} of units (${v.conversions}/${v.units})` };
  });
}

function percentile(g: PercentileGuardrail, variants: readonly string[], durations: DurationLookup): GuardrailArm[] {
  const sketches = durations(g.event);
  return variants.slice(1).map((variant, i): GuardrailArm => {
    const sketch = sketches?.[i + 1];
    const value = sketch?.quantile(g.percentile / 100);
    if (value === undefined) return { variant, outcome: 'hold', value: null, message: `${variant}: no ${g.event} durations yet` };
    return { variant, outcome: threshold(value, g.hold, g.rollback), value, message: `${variant}: p${g.percentile} ${millis(value)} over ${sketch!.count} events` };
  });
}

/**
 * Judges each guardrail on every treatment: non-inferiority by the one-sided bound of the
 * relative lift (the always-valid one when `sequential.decides`), rates, percentiles and unit
 * means against their hold and rollback limits, relative changes of a numeric property by their
 * bounds (see value-guardrails.ts). A treatment without data holds: a guardrail that cannot be
 * checked has not passed. The exception is a guardrail on an event (rate, percentile, mean,
 * relative change) that the export does not hold at all: it is reported as not measured
 * (`measured: false`, outcome proceed) so that an uninstrumented event warns rather than blocks.
 */
export function evaluateGuardrails(
  guardrails: readonly Guardrail[],
  variants: readonly string[],
  metrics: readonly MetricResult[],
  durations: DurationLookup,
  eventCount: EventCountLookup,
  sequential?: SequentialOptions,
  values: ValueLookup = () => undefined,
): GuardrailResult[] {
  const metricNamed = (name: string) => metrics.find((m) => m.name === name);
  return guardrails.map((g) => {
    const label = guardrailLabel(g);
    const series = g.type === 'mean' || g.type === 'relative-change' ? values(g.event, g.property) : undefined;
    const measured =
      g.type === 'rate' ? eventCount(g.metric) > 0 : g.type === 'percentile' ? durations(g.event) !== undefined : g.type === 'non-inferiority' ? true : (series?.values ?? 0) > 0;
    if (!measured) {
      const missing = g.type === 'percentile' ? `${g.event} events with a duration` : g.type === 'mean' || g.type === 'relative-change' ? `${g.event} events with a numeric ${g.property}` : `${g.metric} events`;
      return { guardrail: g, label, measured, note: `no ${missing} in the export`, outcome: 'proceed', arms: [] };
    }
    const arms =
      g.type === 'non-inferiority'
        ? nonInferiority(g, metricNamed(g.metric), sequential)
        : g.type === 'rate'
          ? rate(g, metricNamed(g.metric))
          : g.type === 'percentile'
            ? percentile(g, variants, durations)
            : g.type === 'mean'
              ? meanArms(g, variants, series!.tallies)
              : relativeChangeArms(g, variants, series!.tallies, sequential);
    return { guardrail: g, label, measured, note: null, outcome: worstOutcome(arms.map((a) => a.outcome)), arms };
  });
}
