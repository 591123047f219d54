import { checkKeys, choices, fail, finite, type Fields, fraction, name, object, oneOf, positive, PolicyError } from './policy-fields.js';

/**
 * "Treatment is not worse than control by more than `margin`, relative", judged by the one-sided
 * bound of the relative lift at level `alpha`. For `higher-is-better` metrics (conversions) it
 * passes when the lower bound is above −margin and calls for a rollback when even the upper bound
 * is below −margin; `lower-is-better` (errors) mirrors that. Anything in between holds.
 *
 * @example
 * ```ts
 * const guardrail: NonInferiorityGuardrail = { type: 'non-inferiority', metric: 'purchase', margin: 0.05, direction: 'higher-is-better', alpha: 0.05 };
 * ```
 */
export interface NonInferiorityGuardrail {
  readonly type: 'non-inferiority';
  /** A tracked event: units with it after their first exposure convert. */
  readonly metric: string;
  /** Relative margin, e.g. 0.05 for 5%. */
  readonly margin: number;
  /** Default `higher-is-better`. */
  readonly direction?: 'higher-is-better' | 'lower-is-better';
  /** One-sided level, default 0.05. */
  readonly alpha?: number;
}

/**
 * A treatment's conversion rate against fixed limits: below `hold` proceed, up to `rollback` hold, above rollback.
 *
 * @example
 * ```ts
 * const guardrail: RateGuardrail = { type: 'rate', metric: 'checkout_error', hold: 0.02, rollback: 0.05 };
 * ```
 */
export interface RateGuardrail {
  readonly type: 'rate';
  readonly metric: string;
  /** Rates from this (inclusive) hold, e.g. 0.02. */
  readonly hold: number;
  /** Rates above this roll back, e.g. 0.05. */
  readonly rollback: number;
}

/**
 * A treatment's duration percentile against fixed limits in milliseconds, e.g. p95 < 5 s proceed, 5–10 s hold, > 10 s rollback.
 *
 * @example
 * ```ts
 * const guardrail: PercentileGuardrail = { type: 'percentile', event: 'checkout_loaded', percentile: 95, hold: 5000, rollback: 10000 };
 * ```
 */
export interface PercentileGuardrail {
  readonly type: 'percentile';
  /** The event whose `duration_ms` (or `latency_ms`) is measured. */
  readonly event: string;
  /** 0–100, e.g. 95. */
  readonly percentile: number;
  readonly hold: number;
  readonly rollback: number;
}

/**
 * A treatment's mean of an event's numeric property against fixed limits, at the unit level: each
 * unit's mean of its values, averaged over the units that have the event (a unit with fifty
 * events counts once). Below `hold` proceed, up to `rollback` hold, above rollback.
 *
 * @example
 * ```ts
 * const guardrail: MeanGuardrail = { type: 'mean', event: 'llm_call', property: 'cost_usd', hold: 0.02, rollback: 0.05 };
 * ```
 */
export interface MeanGuardrail {
  readonly type: 'mean';
  readonly event: string;
  /** A numeric property of the event, e.g. `cost_usd`. */
  readonly property: string;
  readonly hold: number;
  readonly rollback: number;
}

/**
 * An upper bound on a treatment's relative change of an event's numeric property over control:
 * "cost down by at least 35%" is `max: -0.35`. Judged by the one-sided bounds at level `alpha` of
 * the relative lift of the per-unit `statistic` (Welch's standard errors, delta method): proceed
 * when the upper bound is below `max`, roll back when even the lower bound is above it, else hold.
 *
 * @example
 * ```ts
 * const guardrail: RelativeChangeGuardrail = { type: 'relative-change', event: 'llm_call', property: 'cost_usd', max: -0.35, statistic: 'sum', alpha: 0.05 };
 * ```
 */
export interface RelativeChangeGuardrail {
  readonly type: 'relative-change';
  readonly event: string;
  readonly property: string;
  /** The largest relative lift allowed, e.g. -0.35 (35% lower) or 0.1 (at most 10% higher). */
  readonly max: number;
  /** `sum` (default): the unit's total (cost per user); `mean`: the unit's mean (cost per call). */
  readonly statistic?: 'sum' | 'mean';
  /** One-sided level, default 0.05. */
  readonly alpha?: number;
}

/**
 * One guardrail of a {@link Policy}.
 *
 * @example
 * ```ts
 * const guardrail: Guardrail = parseGuardrailSpec('rate:skill_tree_error:2%:5%');
 * ```
 */
export type Guardrail = NonInferiorityGuardrail | RateGuardrail | PercentileGuardrail | MeanGuardrail | RelativeChangeGuardrail;

/** The one-sided level of a guardrail, default 0.05. */
function oneSidedLevel(field: string, value: unknown): number {
  const alpha = value ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 0.5)) fail(field, value, 'must be a number between 0 and 0.5 (one-sided level)');
  return alpha;
}

/** The fixed limits of a rate, percentile or mean guardrail: each checked by `check`, hold not above rollback. */
function limits(field: string, g: Fields, check: (field: string, value: unknown) => number): { hold: number; rollback: number } {
  const hold = check(`${field}.hold`, g.hold);
  const rollback = check(`${field}.rollback`, g.rollback);
  if (hold > rollback) throw new PolicyError(`${field}.hold (${hold}) must not be above ${field}.rollback (${rollback})`);
  return { hold, rollback };
}

/** Checks one guardrail; throws {@link PolicyError} naming `field`. */
export function validateGuardrail(value: unknown, field = 'guardrail'): Guardrail {
  const g = object(field, value);
  switch (g.type) {
    case 'non-inferiority': {
      checkKeys(field, g, ['type', 'metric', 'margin', 'direction', 'alpha']);
      const direction = oneOf(`${field}.direction`, g.direction ?? 'higher-is-better', ['higher-is-better', 'lower-is-better']);
      const alpha = oneSidedLevel(`${field}.alpha`, g.alpha);
      return {
        type: 'non-inferiority',
        metric: name(`${field}.metric`, g.metric),
        margin: fraction(`${field}.margin`, g.margin, 'must be a relative margin from 0 to 1 (0.05 is 5%)'),
        direction,
        alpha,
      };
    }
    case 'rate':
      checkKeys(field, g, ['type', 'metric', 'hold', 'rollback']);
      return { type: 'rate', metric: name(`${field}.metric`, g.metric), ...limits(field, g, fraction) };
    case 'percentile':
      checkKeys(field, g, ['type', 'event', 'percentile', 'hold', 'rollback']);
      if (typeof g.percentile !== 'number' || !(g.percentile > 0 && g.percentile < 100)) {
        fail(`${field}.percentile`, g.percentile, 'must be a number between 0 and 100, e.g. 95');
      }
      return { type: 'percentile', event: name(`${field}.event`, g.event), percentile: g.percentile, ...limits(field, g, positive) };
    case 'mean':
      checkKeys(field, g, ['type', 'event', 'property', 'hold', 'rollback']);
      return { type: 'mean', event: name(`${field}.event`, g.event), property: name(`${field}.property`, g.property), ...limits(field, g, finite) };
    case 'relative-change': {
      checkKeys(field, g, ['type', 'event', 'property', 'max', 'statistic', 'alpha']);
      const statistic = oneOf(`${field}.statistic`, g.statistic ?? 'sum', ['sum', 'mean']);
      const alpha = oneSidedLevel(`${field}.alpha`, g.alpha);
      if (typeof g.max !== 'number' || !(g.max > -1 && Number.isFinite(g.max))) fail(`${field}.max`, g.max, 'must be a relative change above -1 (-0.35 is 35% lower)');
      return { type: 'relative-change', event: name(`${field}.event`, g.event), property: name(`${field}.property`, g.property), max: g.max, statistic, alpha };
    }
    default:
      return fail(`${field}.type`, g.type, `must be ${choices(['non-inferiority', 'rate', 'percentile', 'mean', 'relative-change'])}`);
  }
}
