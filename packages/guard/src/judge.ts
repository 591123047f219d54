// One guardrail at one look, judged by always-valid (mSPRT) tests so that judging again every
// interval — hundreds of looks per stage — keeps the false-rollback rate at or below α.
//
// A rollback needs two things at once: the treatment worse than the concurrent control, shown by
// the always-valid test of the difference over the whole stage (p below α, treatment higher), and
// the rollback limit within reach of the treatment's recent data (the confidence sequence of the
// plan's recent window reaching above the limit). The test bounds the chance of a false rollback
// in an A/A run by α whatever the base rate, and keeps the monitor from rolling back a release for
// a fault both arms share; the limit keeps it from rolling back a difference shown harmless. The
// recent window, not the whole stage, meets the limit because the stage's tally is cumulative:
// hours of good traffic before a regression would dilute it long after the harm is certain, and
// the more traffic, the longer. A pass needs the stage's whole sequence below the hold limit, and
// the recent estimate below it too: a stage does not advance while the last hours look bad.
import type { Guardrail } from '@bucketry/analyze';
import { alwaysValidCritical, alwaysValidEstimates, alwaysValidRates, wilsonIntervalAt } from '@bucketry/stats';
import { ms, num, pct } from './guardrail-label.js';
import { recentArm } from './tally.js';
import type { ArmJudgement, ArmTally, GuardrailJudgement, GuardrailTally, Verdict } from './types.js';

/** What every judgement needs besides the tallies. */
export interface JudgeOptions {
  readonly alpha: number;
  /** ρ² of the mixture (mixtureSpread(alpha, horizon)). */
  readonly spread: number;
  readonly minSamples: number;
  /**
   * A stage at 100% has no concurrent control: the treatment is judged on the limits alone, and a
   * rollback needs the recent confidence sequence wholly above the rollback limit.
   */
  readonly withoutControl?: boolean;
}

/** A share's always-valid confidence sequence after n observations: Wilson's score interval at the sequence's critical value. */
function shareSequence(hits: number, n: number, options: JudgeOptions): { low: number; high: number } {
  const critical = alwaysValidCritical(n, options.alpha, options.spread);
  return wilsonIntervalAt(hits, n, critical);
}

/** Treatment minus control of two shares: the estimate, its confidence sequence, and whether the treatment is higher beyond chance. */
function shareDifference(control: { hits: number; n: number }, treatment: { hits: number; n: number }, options: JudgeOptions) {
  const { pValue, difference } = alwaysValidRates(control.hits, control.n, treatment.hits, treatment.n, options.alpha, options.spread);
  return { difference, worse: pValue !== null && pValue < options.alpha && difference.estimate > 0 };
}

const verdictOf = (rollback: boolean, pass: boolean): Verdict => (rollback ? 'ROLLBACK' : pass ? 'PROCEED' : 'HOLD');

const ALONE = 'no concurrent control at 100%: judged on the limits alone';

/** Whether the recent data call for a rollback: beyond the limit for sure without a control; with one, worse than it and not shown within the limit. */
const breached = (lately: { low: number; high: number }, limit: number, worse: boolean, options: JudgeOptions): boolean =>
  options.withoutControl ? lately.low > limit : lately.high > limit && worse;

interface Judged {
  readonly arm: ArmJudgement;
  readonly message: string;
}

function tooFew(treatment: ArmTally, control: ArmTally, what: string, options: JudgeOptions): Judged | undefined {
  const fewest = options.withoutControl ? treatment.n : Math.min(treatment.n, control.n);
  if (fewest >= options.minSamples) return undefined;
  const arm: ArmJudgement = { variant: treatment.variant, samples: treatment.n, estimate: null, low: null, high: null, difference: null, verdict: 'HOLD' };
  return { arm, message: `${treatment.variant}: needs ${options.minSamples} ${what}${options.withoutControl ? '' : ' per arm'}, has ${treatment.n}${options.withoutControl ? '' : ` (control ${control.n})`}` };
}

function judgeArm(g: Guardrail, control: ArmTally, treatment: ArmTally, recent: ArmTally, options: JudgeOptions): Judged {
  switch (g.type) {
    case 'rate':
      return tooFew(treatment, control, 'units', options) ?? rateArm(g.hold, g.rollback, g.metric, control, treatment, recent, options);
    case 'percentile':
      return tooFew(treatment, control, `${g.event} durations`, options) ?? percentileArm(g.percentile, g.hold, g.rollback, g.event, control, treatment, recent, options);
    case 'mean':
      return tooFew(treatment, control, `${g.event}.${g.property} values`, options) ?? meanArm(g.hold, g.rollback, control, treatment, recent, options);
    case 'non-inferiority':
      return tooFew(treatment, control, 'units', options) ?? nonInferiorityArm(g.margin, g.direction === 'lower-is-better', control, treatment, options);
    case 'relative-change':
      throw new TypeError('relative-change guardrails are refused by parsePlan');
  }
}

function rateArm(hold: number, rollback: number, metric: string, control: ArmTally, treatment: ArmTally, recent: ArmTally, options: JudgeOptions): Judged {
  const sequence = shareSequence(treatment.hits, treatment.n, options);
  // A unit exposed before the window may err within it: hits are capped at the window's units.
  const recentHits = Math.min(recent.hits, recent.n);
  const lately = shareSequence(recentHits, recent.n, options);
  const { difference, worse } = options.withoutControl ? { difference: null, worse: false } : shareDifference(control, treatment, options);
  const estimate = treatment.hits / treatment.n;
  const recentRate = recentHits / recent.n;
  const verdict = verdictOf(breached(lately, rollback, worse, options), sequence.high < hold && recentRate < hold);
  const arm: ArmJudgement = { variant: treatment.variant, samples: treatment.n, estimate, low: sequence.low, high: sequence.high, difference, verdict };
  const why =
    verdict === 'ROLLBACK' && options.withoutControl
      ? `recently ${pct(lately.low)} at least (${recentHits}/${recent.n} units): above the ${pct(rollback)} rollback limit`
      : verdict === 'ROLLBACK'
      ? `above control, and recently up to ${pct(lately.high)} (${recentHits}/${recent.n} units): not shown below the ${pct(rollback)} rollback limit`
      : verdict === 'PROCEED'
        ? `below the ${pct(hold)} hold limit`
        : sequence.high < hold
          ? `below the ${pct(hold)} hold limit over the stage, but ${pct(recentRate)} recently (${recentHits}/${recent.n} units)`
          : estimate > rollback && control.hits / control.n > rollback
          ? `above the ${pct(rollback)} rollback limit, as is control: a fault both arms share is not the treatment's`
          : `not yet below the ${pct(hold)} hold limit: needs more units or a lower rate`;
  return {
    arm,
    message:
      `${treatment.variant}: ${metric} rate ${pct(estimate)} (${treatment.hits}/${treatment.n} units, always-valid ${pct(sequence.low)} to ${pct(sequence.high)}), ${why}; ` +
      (difference === null ? ALONE : `control ${pct(control.hits / control.n)}, difference ${pct(difference.estimate)} (${pct(difference.low)} to ${pct(difference.high)})`),
  };
}

/** The q-th percentile is above a limit exactly when the share of durations above the limit exceeds 1 − q. */
function percentileArm(percentile: number, hold: number, rollback: number, event: string, control: ArmTally, treatment: ArmTally, recent: ArmTally, options: JudgeOptions): Judged {
  const tail = 1 - percentile / 100;
  const overRollback = (a: ArmTally) => ({ hits: a.over, n: a.n });
  const sequence = shareSequence(treatment.over, treatment.n, options);
  const { difference, worse } = options.withoutControl ? { difference: null, worse: false } : shareDifference(overRollback(control), overRollback(treatment), options);
  const holdSequence = shareSequence(treatment.hits, treatment.n, options);
  const estimate = treatment.over / treatment.n;
  const lately = shareSequence(recent.over, recent.n, options);
  const verdict = verdictOf(breached(lately, tail, worse, options), holdSequence.high < tail && recent.hits / recent.n < tail);
  const arm: ArmJudgement = { variant: treatment.variant, samples: treatment.n, estimate, low: sequence.low, high: sequence.high, difference, verdict };
  const why =
    verdict === 'ROLLBACK'
      ? options.withoutControl
        ? `p${percentile} is above ${ms(rollback)} recently (at least ${pct(lately.low)} of durations above it)`
        : `p${percentile} is not shown below ${ms(rollback)} and the share is above control's`
      : verdict === 'PROCEED'
        ? `p${percentile} is below ${ms(hold)} (${pct(holdSequence.high)} at most above it)`
        : `p${percentile} is not yet shown below ${ms(hold)} (${pct(treatment.hits / treatment.n)} of durations above it, up to ${pct(holdSequence.high)}; must stay under ${pct(tail)})`;
  return {
    arm,
    message: `${treatment.variant}: ${pct(estimate)} of ${treatment.n} ${event} durations above ${ms(rollback)} (always-valid ${pct(sequence.low)} to ${pct(sequence.high)}), ${why}; ${difference === null ? ALONE : `control ${pct(control.over / control.n)} above ${ms(rollback)}`}`,
  };
}

/** An estimate and its standard error as the always-valid test takes them (it recomputes the ends). */
const estimateWith = (estimate: number, standardError: number) => ({ estimate, standardError, low: estimate, high: estimate });

const variance = (a: ArmTally): number => Math.max(0, (a.sumSquares - (a.sum * a.sum) / a.n) / (a.n - 1));

function meanArm(hold: number, rollback: number, control: ArmTally, treatment: ArmTally, recent: ArmTally, options: JudgeOptions): Judged {
  const meanT = treatment.sum / treatment.n;
  const meanC = control.sum / control.n;
  const seT = Math.sqrt(variance(treatment) / treatment.n);
  const seDiff = Math.sqrt(variance(treatment) / treatment.n + variance(control) / control.n);
  // A constant series has no spread to test with: its mean is exact.
  const own = seT > 0 ? alwaysValidEstimates(estimateWith(meanT, seT), undefined, treatment.n, options.alpha, options.spread).difference : { estimate: meanT, low: meanT, high: meanT };
  const diff = options.withoutControl
    ? { pValue: 1, difference: null }
    : seDiff > 0
      ? alwaysValidEstimates(estimateWith(meanT - meanC, seDiff), undefined, treatment.n + control.n, options.alpha, options.spread)
      : { pValue: meanT === meanC ? 1 : 0, difference: { estimate: meanT - meanC, low: meanT - meanC, high: meanT - meanC } };
  const worse = diff.difference !== null && diff.pValue < options.alpha && diff.difference.estimate > 0;
  const seRecent = recent.n >= 2 ? Math.sqrt(variance(recent) / recent.n) : 0;
  const lately = recent.n >= 2 && seRecent > 0 ? alwaysValidEstimates(estimateWith(recent.sum / recent.n, seRecent), undefined, recent.n, options.alpha, options.spread).difference : own;
  const verdict = verdictOf(breached(lately, rollback, worse, options), own.high < hold && recent.sum / recent.n < hold);
  const arm: ArmJudgement = { variant: treatment.variant, samples: treatment.n, estimate: meanT, low: own.low, high: own.high, difference: diff.difference, verdict };
  const why = verdict === 'ROLLBACK' ? (options.withoutControl ? `recently above the rollback limit ${num(rollback)} (at least ${num(lately.low)})` : `above control and not shown below the rollback limit ${num(rollback)}`) : verdict === 'PROCEED' ? `below the hold limit ${num(hold)}` : `not yet below the hold limit ${num(hold)}`;
  return { arm, message: `${treatment.variant}: mean ${num(meanT)} over ${treatment.n} values (always-valid ${num(own.low)} to ${num(own.high)}), ${why}; ${diff.difference === null ? ALONE : `control ${num(meanC)}`}` };
}

function nonInferiorityArm(margin: number, lowerIsBetter: boolean, control: ArmTally, treatment: ArmTally, options: JudgeOptions): Judged {
  const { relative } = alwaysValidRates(control.hits, control.n, treatment.hits, treatment.n, options.alpha, options.spread);
  if (relative === null) {
    const arm: ArmJudgement = { variant: treatment.variant, samples: treatment.n, estimate: null, low: null, high: null, difference: null, verdict: 'HOLD' };
    return { arm, message: `${treatment.variant}: control has no conversions yet, so there is no relative lift to bound` };
  }
  // Lower is better (errors): the lift must stay below +margin; higher is better: above −margin.
  const rollback = lowerIsBetter ? relative.low > margin : relative.high < -margin;
  const pass = lowerIsBetter ? relative.high < margin : relative.low > -margin;
  const verdict = verdictOf(rollback, pass);
  const arm: ArmJudgement = { variant: treatment.variant, samples: treatment.n, estimate: relative.estimate, low: relative.low, high: relative.high, difference: relative, verdict };
  const limit = lowerIsBetter ? `+${pct(margin)}` : `−${pct(margin)}`;
  const why = verdict === 'ROLLBACK' ? `beyond ${limit} with always-valid confidence` : verdict === 'PROCEED' ? `within ${limit}` : `not yet shown within ${limit}`;
  return { arm, message: `${treatment.variant}: relative lift ${pct(relative.estimate)} (always-valid ${pct(relative.low)} to ${pct(relative.high)}), ${why}` };
}

const ORDER: Record<Verdict, number> = { PROCEED: 0, HOLD: 1, ROLLBACK: 2 };

/** The worst of some verdicts; PROCEED for none. */
export const worstVerdict = (verdicts: readonly Verdict[]): Verdict => verdicts.reduce<Verdict>((worst, v) => (ORDER[v] > ORDER[worst] ? v : worst), 'PROCEED');

/**
 * Judges one guardrail's tallies: each treatment against its limits and against control (first
 * arm); the guardrail's verdict is the worst over the treatments.
 */
export function judgeGuardrail(tally: GuardrailTally, options: JudgeOptions): GuardrailJudgement {
  const [control, ...treatments] = tally.arms;
  const judged = treatments.map((treatment, i) => judgeArm(tally.guardrail, control!, treatment, recentArm(tally, i + 1) ?? treatment, options));
  const verdict = worstVerdict(judged.map((j) => j.arm.verdict));
  return { label: tally.label, verdict, message: judged.map((j) => j.message).join('; '), arms: judged.map((j) => j.arm) };
}
