// Guardrails in words: what each requires, what each treatment read, and why it was not measured.
import type { GuardrailArm, GuardrailReading } from '../analysis/guardrail-arm.js';
import type { GuardrailResult } from '../analysis/guardrails.js';
import { relativeLimit } from '../analysis/bound-verdict.js';
import type { Guardrail, PercentileGuardrail } from '../policy/policy.js';
import { decimal, millis, percent } from './numbers.js';

/** What a guardrail requires, e.g. "session_started_from_tree not more than 5% below control". */
export function guardrailLabel(g: Guardrail): string {
  switch (g.type) {
    case 'non-inferiority':
      return `${g.metric} not more than ${percent(g.margin, 0)} ${g.direction === 'lower-is-better' ? 'above' : 'below'} control`;
    case 'rate':
      return `${g.metric} rate below ${percent(g.hold, 1)} (rollback above ${percent(g.rollback, 1)})`;
    case 'percentile':
      return `p${g.percentile} ${g.event} below ${millis(g.hold)} (rollback above ${millis(g.rollback)})`;
    case 'mean':
      return `mean ${g.event}.${g.property} per unit below ${decimal(g.hold, 6)} (rollback above ${decimal(g.rollback, 6)})`;
    case 'relative-change':
      return `${g.event}.${g.property} per unit (${g.statistic === 'mean' ? 'mean' : 'total'}) at most ${percent(g.max, 1, true)} against control`;
  }
}

/** What a guardrail reads: the metric's event, a duration's event, or an event's numeric property. */
const subject = (g: Guardrail): string =>
  g.type === 'non-inferiority' || g.type === 'rate' ? g.metric : g.type === 'percentile' ? g.event : `${g.event}.${g.property}`;

/** Why a guardrail was not measured, e.g. "no skill_tree_error events in the export". */
export function notMeasuredText(g: Guardrail): string {
  const missing =
    g.type === 'percentile' ? `${g.event} events with a duration` : g.type === 'mean' || g.type === 'relative-change' ? `${g.event} events with a numeric ${g.property}` : `${g.metric} events`;
  return `no ${missing} in the export`;
}

/** How the bounds were taken: "95% one-sided", or "always-valid 95%" when the always-valid tests decide. */
export const boundsLevel = (alpha: number, alwaysValid: boolean): string => (alwaysValid ? `always-valid ${percent(1 - alpha, 0)}` : `${percent(1 - alpha, 0)} one-sided`);

/** The limit a relative change is judged against (a margin always signed), and on which side it must stay. */
function limitText(g: Guardrail): { limit: string; side: 'below' | 'above' } {
  if (g.type !== 'relative-change' && g.type !== 'non-inferiority') throw new TypeError(`a ${g.type} guardrail has no relative limit`);
  const { limit, side } = relativeLimit(g);
  return { limit: g.type === 'relative-change' ? percent(limit, 1, true) : `${side === 'below' ? '+' : '−'}${percent(g.margin, 1)}`, side };
}

/** Why bounds gave their outcome, e.g. "upper bound −13.0% < −10.0%" (see analysis/bound-verdict.ts). */
function boundsWhy(arm: GuardrailArm, bounds: { lower: number; upper: number }, g: Guardrail): string {
  const { limit, side } = limitText(g);
  const [low, high] = [percent(bounds.lower, 1, true), percent(bounds.upper, 1, true)];
  if (side === 'below') {
    if (arm.outcome === 'proceed') return `upper bound ${high} < ${limit}`;
    if (arm.outcome === 'rollback') return `even the lower bound ${low} is above ${limit}`;
    return `upper bound ${high} is not below ${limit} yet`;
  }
  if (arm.outcome === 'proceed') return `lower bound ${low} > ${limit}`;
  if (arm.outcome === 'rollback') return `even the upper bound ${high} is below ${limit}`;
  return `lower bound ${low} is not above ${limit} yet`;
}

type NotJudged = Extract<GuardrailReading, { kind: 'not-judged' }>['why'];

/** What one treatment's side read, e.g. "list vs tree: relative lift −4.1%, 95% one-sided lower bound −8.0% > −10.0%". */
export function armText(arm: GuardrailArm, g: Guardrail, control: string): string {
  const versus = `${arm.variant} vs ${control}`;
  const r = arm.reading;
  switch (r.kind) {
    case 'bounds':
      return `${versus}: relative ${g.type === 'relative-change' ? 'change' : 'lift'} ${percent(r.estimate, 1, true)}, ${boundsLevel(r.alpha, r.alwaysValid)} ${boundsWhy(arm, r, g)}`;
    case 'rate':
      return `${arm.variant}: ${percent(r.rate)} of units (${r.conversions}/${r.units})`;
    case 'percentile':
      return `${arm.variant}: p${(g as PercentileGuardrail).percentile} ${millis(r.value)} over ${r.events} events`;
    case 'mean':
      return `${arm.variant}: mean ${decimal(r.mean, 6)} over ${r.units} units (each unit's mean)`;
    case 'not-judged':
      return notJudgedText(r.why, arm.variant, versus, g);
  }
}

function notJudgedText(why: NotJudged, variant: string, versus: string, g: Guardrail): string {
  switch (why) {
    case 'no-units':
      return g.type === 'non-inferiority' ? `${versus}: cannot compare, an arm has no units` : `${variant}: no units yet`;
    case 'no-control-conversions':
      return `${versus}: too few events to judge: control has no ${subject(g)} conversions, so the relative lift does not exist yet`;
    case 'too-few-units':
      return `${versus}: too few units to judge (control's mean is 0, or an arm has under 2 units)`;
    case 'no-durations':
      return `${variant}: no ${subject(g)} durations yet`;
    case 'no-values':
      return `${variant}: no ${subject(g)} values yet`;
  }
}

/** A guardrail's arms in words, joined, or why there are none. */
export function guardrailDetail(result: GuardrailResult, control: string): string {
  if (!result.measured) return notMeasuredText(result.guardrail);
  return result.arms.length > 0 ? result.arms.map((arm) => armText(arm, result.guardrail, control)).join('; ') : 'no data';
}
