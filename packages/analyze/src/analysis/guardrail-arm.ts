// One treatment's side of a guardrail, as plain data: what was read and what it recommends.
import type { Outcome } from '../policy/outcome.js';

/**
 * What one treatment's side of a guardrail read, as data (the formatters word it):
 * - `bounds`: a relative change (non-inferiority, relative-change guardrails), its estimate and the
 *   bounds judged: one-sided at `alpha`, or the always-valid confidence sequence's;
 * - `rate`: units with the event over units; `percentile`: the duration in ms over `events`
 *   events; `mean`: the mean over `units` units of each unit's mean value;
 * - `not-judged`: why there was nothing to judge (the arm holds): `no-units` (an arm has no
 *   units), `no-control-conversions` (the relative lift does not exist yet), `too-few-units`
 *   (control's mean is 0, or an arm has under 2 units), `no-durations`, `no-values`.
 *
 * @example
 * ```ts
 * if (arm.reading.kind === 'bounds') console.log(arm.reading.estimate, arm.reading.lower, arm.reading.upper);
 * ```
 */
export type GuardrailReading =
  | { readonly kind: 'bounds'; readonly estimate: number; readonly lower: number; readonly upper: number; readonly alpha: number; readonly alwaysValid: boolean }
  | { readonly kind: 'rate'; readonly rate: number; readonly conversions: number; readonly units: number }
  | { readonly kind: 'percentile'; readonly value: number; readonly events: number }
  | { readonly kind: 'mean'; readonly mean: number; readonly units: number }
  | { readonly kind: 'not-judged'; readonly why: 'no-units' | 'no-control-conversions' | 'too-few-units' | 'no-durations' | 'no-values' };

/**
 * One treatment's side of a guardrail.
 *
 * @example
 * ```ts
 * for (const arm of report.guardrails[0].arms) console.log(arm.variant, arm.outcome, arm.value, arm.reading.kind);
 * ```
 */
export interface GuardrailArm {
  readonly variant: string;
  readonly outcome: Outcome;
  /** What was compared with the limits: a relative lift's one-sided bound, a rate, or a duration in ms; `null` without data. */
  readonly value: number | null;
  readonly reading: GuardrailReading;
}

/** A treatment's side that could not be judged: it holds (a guardrail that cannot be checked has not passed). */
export const notJudged = (variant: string, why: Extract<GuardrailReading, { kind: 'not-judged' }>['why']): GuardrailArm => ({
  variant,
  outcome: 'hold',
  value: null,
  reading: { kind: 'not-judged', why },
});
