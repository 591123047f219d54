import type { Guardrail, NonInferiorityGuardrail, PercentileGuardrail, RateGuardrail } from '../policy/policy.js';
import { alwaysValidRates } from '@bucketry/stats';
import { relativeLiftBounds } from '@bucketry/stats';
import type { QuantileSketch } from '@bucketry/stats';
import { judgeBounds, relativeLimit } from './bound-verdict.js';
import type { MetricResult } from './metrics.js';
import type { SequentialOptions } from './sequential-options.js';
import { meanArms, relativeChangeArms, type ValueLookup } from './value-guardrails.js';
import { worstOutcome, type Outcome } from '../policy/outcome.js';
import { notJudged, type GuardrailArm } from './guardrail-arm.js';

/**
 * A guardrail's verdict: the worst over the treatments.
 *
 * @example
 * ```ts
 * const holding = report.guardrails.filter((g) => g.outcome !== 'proceed').map((g) => g.guardrail);
 * ```
 */
export interface GuardrailResult {
  readonly guardrail: Guardrail;
  /**
   * False when a rate or percentile guardrail's event is nowhere in the export: zero errors and an
   * event that is not instrumented look the same, so the check warns instead of deciding.
   */
  readonly measured: boolean;
  readonly outcome: Outcome;
  readonly arms: readonly GuardrailArm[];
}

/** Durations of one event per variant, for percentile guardrails. */
export type DurationLookup = (event: string) => readonly QuantileSketch[] | undefined;

/** How many events of a tracked name the export held, for rate guardrails. */
export type EventCountLookup = (event: string) => number;

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
  const control = metric.variants[0]!;
  return metric.comparisons.map((c, i): GuardrailArm => {
    const treatment = metric.variants[i + 1]!;
    if (c.absoluteLift === null) return notJudged(c.treatment, 'no-units');
    // No decision on an interval that does not exist: without control conversions there is no ratio to bound.
    const bounds = c.relativeLift === null ? undefined : liftBounds(control.conversions, control.units, treatment.conversions, treatment.units, alpha, sequential);
    if (c.relativeLift === null || bounds === undefined) return notJudged(c.treatment, 'no-control-conversions');
    const { limit, side } = relativeLimit(g);
    const { outcome, value } = judgeBounds(bounds.lower, bounds.upper, limit, side);
    const reading = { kind: 'bounds', estimate: c.relativeLift.estimate, lower: bounds.lower, upper: bounds.upper, alpha, alwaysValid: sequential?.decides === true } as const;
    return { variant: c.treatment, outcome, value, reading };
  });
}

function rate(g: RateGuardrail, metric: MetricResult | undefined): GuardrailArm[] {
  if (metric === undefined) return [];
  return metric.variants.slice(1).map((v): GuardrailArm => {
    if (v.rate === null) return notJudged(v.name, 'no-units');
    const outcome = threshold(v.rate, g.hold, g.rollback);
    return { variant: v.name, outcome, value: v.rate, reading: { kind: 'rate', rate: v.rate, conversions: v.conversions, units: v.units } };
  });
}

function percentile(g: PercentileGuardrail, variants: readonly string[], durations: DurationLookup): GuardrailArm[] {
  const sketches = durations(g.event);
  return variants.slice(1).map((variant, i): GuardrailArm => {
    const sketch = sketches?.[i + 1];
    const value = sketch?.quantile(g.percentile / 100);
    if (value === undefined) return notJudged(variant, 'no-durations');
    return { variant, outcome: threshold(value, g.hold, g.rollback), value, reading: { kind: 'percentile', value, events: sketch!.count } };
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
    const series = g.type === 'mean' || g.type === 'relative-change' ? values(g.event, g.property) : undefined;
    const measured =
      g.type === 'rate' ? eventCount(g.metric) > 0 : g.type === 'percentile' ? durations(g.event) !== undefined : g.type === 'non-inferiority' ? true : (series?.values ?? 0) > 0;
    if (!measured) return { guardrail: g, measured, outcome: 'proceed', arms: [] };
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
    return { guardrail: g, measured, outcome: worstOutcome(arms.map((a) => a.outcome)), arms };
  });
}
