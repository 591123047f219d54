// From the judged guardrails and the stage's clock to one verdict and the action it calls for.
// Pure: the monitor does the reading before and the writing after.
import { alwaysValidPValue, mixtureSpread } from '@bucketry/stats';
import { judgeGuardrail } from './judge.js';
import type { Decision, GuardrailJudgement, GuardrailTally, Plan, ReasonCode, Verdict } from './types.js';

/** What a look knows when it decides. */
export interface LookInput {
  readonly stage: number;
  readonly stageStartedAt: string;
  readonly tallies: readonly GuardrailTally[];
  readonly exposures: readonly number[];
  /** Why the source could not be read this look, if it could not. */
  readonly sourceError: string | null;
  readonly now: Date;
}

/** The verdict, its reason and its action, without the look's bookkeeping (number, evidence). */
export type LookDecision = Pick<Decision, 'verdict' | 'reason' | 'message' | 'action' | 'toPercent' | 'guardrails'>;

/** The p-value below which the arms' split is a sample ratio mismatch, as `bucketry analyze` fails it. */
const SAMPLE_RATIO_ALPHA = 0.001;

/** The always-valid test of the treatments' share of exposures against the stage's percent; a message when it fails. */
function sampleRatioMismatch(percent: number, exposures: readonly number[], spread: number): string | undefined {
  const n = exposures.reduce((a, b) => a + b, 0);
  const expected = percent / 100;
  if (n === 0 || expected >= 1) return undefined;
  const treated = n - exposures[0]!;
  const z = (treated - n * expected) / Math.sqrt(n * expected * (1 - expected));
  const p = alwaysValidPValue(z, n, spread);
  if (p >= SAMPLE_RATIO_ALPHA) return undefined;
  return `sample ratio mismatch: ${treated} of ${n} exposed units (${((treated / n) * 100).toFixed(2)}%) got a treatment at a ${percent}% stage (always-valid p = ${p.toPrecision(2)} < ${SAMPLE_RATIO_ALPHA}); exposures are lost or double-logged in one arm, or instances serve another percent: the guardrails cannot be trusted until the cause is found`;
}

const hoursText = (ms: number): string => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)}h` : `${Math.floor(ms / 60_000)}m`);

/**
 * Decides one look: a source that could not be read holds (never a PROCEED); any guardrail
 * calling for a rollback rolls back at once, whatever the stage's clock; a stage without
 * exposures or with a guardrail not yet passing holds and says what is missing; all passing
 * before the minimum duration proceeds within the stage; after it, advances (automatic plans),
 * completes (last stage) or waits for approval (manual plans).
 */
export function decideLook(plan: Plan, look: LookInput): LookDecision {
  const stage = plan.stages[look.stage]!;
  const options = { alpha: plan.alpha, spread: mixtureSpread(plan.alpha, plan.horizon), minSamples: plan.minSamples, withoutControl: stage.percent === 100 };
  const guardrails: GuardrailJudgement[] = look.tallies.map((t) => judgeGuardrail(t, options));
  const stay = (verdict: Verdict, reason: ReasonCode, message: string): LookDecision => ({ verdict, reason, message, action: 'none', toPercent: stage.percent, guardrails });
  if (look.sourceError !== null) return stay('HOLD', 'source-unreadable', `the event source could not be read, nothing decided from it: ${look.sourceError}`);
  const breached = guardrails.filter((g) => g.verdict === 'ROLLBACK');
  if (breached.length > 0) {
    return { verdict: 'ROLLBACK', reason: 'guardrail-breached', message: `rolled back to 0%: ${breached.map((g) => `${g.label}: ${g.message}`).join(' | ')}`, action: 'rolled-back', toPercent: 0, guardrails };
  }
  const exposed = look.exposures.reduce((a, b) => a + b, 0);
  if (exposed === 0) return stay('HOLD', 'no-data', `no ${plan.exposureEvent} of ${plan.experiment} read in stage ${stage.name} yet`);
  const mismatch = sampleRatioMismatch(stage.percent, look.exposures, options.spread);
  if (mismatch !== undefined) return stay('HOLD', 'sample-ratio-mismatch', mismatch);
  const pending = guardrails.filter((g) => g.verdict !== 'PROCEED');
  if (pending.length > 0) {
    return stay('HOLD', 'guardrail-pending', `holding at ${stage.percent}%: ${pending.map((g) => `${g.label}: ${g.message}`).join(' | ')}`);
  }
  const ran = look.now.getTime() - Date.parse(look.stageStartedAt);
  if (ran < stage.minDurationMs) {
    return stay('PROCEED', 'min-duration', `guardrails pass; stage ${stage.name} at ${stage.percent}% ran ${hoursText(ran)} of ${stage.minDuration}`);
  }
  const next = plan.stages[look.stage + 1];
  if (next === undefined) {
    return { verdict: 'PROCEED', reason: 'all-clear', message: `guardrails pass and the last stage (${stage.name}, ${stage.percent}%) ran ${stage.minDuration}: rollout complete`, action: 'completed', toPercent: stage.percent, guardrails };
  }
  if (plan.advance === 'manual') {
    return {
      verdict: 'PROCEED',
      reason: 'awaiting-approval',
      message: `ready to advance: guardrails pass and stage ${stage.name} ran ${stage.minDuration}; run bucketry rollout advance ${plan.experiment} to go to ${next.percent}% (${next.name})`,
      action: 'ready-to-advance',
      toPercent: stage.percent,
      guardrails,
    };
  }
  return { verdict: 'PROCEED', reason: 'all-clear', message: `advancing from ${stage.name} (${stage.percent}%) to ${next.name} (${next.percent}%): guardrails pass and the stage ran ${stage.minDuration}`, action: 'advanced', toPercent: next.percent, guardrails };
}
