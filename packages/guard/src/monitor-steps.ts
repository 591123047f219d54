// The monitor's pure steps: a decision's shared fields, the baseline beside each guardrail, and
// what a store record moved by someone else means for the state. No I/O here.
import type { RolloutRecord } from '@bucketry/live';
import { baselineMetricText, type Baseline } from './baseline.js';
import type { LookDecision } from './decide.js';
import { emptyTallies } from './tally.js';
import type { Decision, MonitorState, Plan } from './types.js';

/** Each judgement with its metric's baseline beside it, as a number and in the message. */
export function besideBaseline(guardrails: LookDecision['guardrails'], baseline: Baseline): LookDecision['guardrails'] {
  return guardrails.map((g) => {
    const metric = baseline.metrics.find((m) => m.label === g.label);
    if (metric === undefined) return { ...g, baseline: null };
    const value = metric.type === 'percentile' ? metric.shareAboveRollback : metric.value;
    return { ...g, baseline: value, message: `${g.message}; baseline ${baselineMetricText(metric)}` };
  });
}

export const cut = (text: string, max = 900): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The part of a look's decision that every record of it shares. */
export function decisionOf(plan: Plan, state: MonitorState, look: LookDecision, at: Date, evidence: MonitorState['cursor'], exposures: readonly number[]): Decision {
  return {
    experiment: plan.experiment,
    at: at.toISOString(),
    look: state.look + 1,
    ...look,
    stage: state.stage,
    stageName: state.stageName,
    percent: state.percent,
    exposures,
    evidence,
  };
}

/** The stage the store's record says we are in, when someone moved it (an approval, a kill switch). */
export function storeMoved(plan: Plan, state: MonitorState, record: RolloutRecord | null): { state: MonitorState; note: string } | undefined {
  if (record === null) return undefined;
  const killed = !record.enabled || record.rollout === 0;
  if (record.rollout === state.percent && !killed) return undefined;
  const by = `set to ${record.enabled ? `${record.rollout}%` : 'disabled'} by ${record.actor} at ${record.updatedAt}${record.reason ? ` (${record.reason})` : ''}`;
  if (killed) return { state: { ...state, status: 'rolled-back' }, note: `${plan.experiment} was ${by}: the rollout is stopped; the monitor ends` };
  const next = plan.stages[state.stage + 1];
  if (next !== undefined && record.rollout === next.percent) {
    return { state: nextStage(plan, state, record.updatedAt), note: `advanced to ${next.name} (${next.percent}%): ${by}` };
  }
  return undefined;
}

/** The state as the next stage starts at `startedAt`: its name, percent and clock, nothing tallied yet. */
function nextStage(plan: Plan, state: MonitorState, startedAt: string): MonitorState {
  const stage = state.stage + 1;
  const { name, percent } = plan.stages[stage]!;
  return { ...state, status: 'running', stage, stageName: name, percent, stageStartedAt: startedAt, tallies: emptyTallies(plan, stage), exposures: plan.variants.map(() => 0), units: {} };
}

/** The state once the store took a change the monitor decided: rolled back to 0%, or in the next stage from `at`. */
export function afterChange(plan: Plan, state: MonitorState, toPercent: number, at: Date): MonitorState {
  if (toPercent === 0) return { ...state, status: 'rolled-back', percent: 0, pending: null };
  return { ...nextStage(plan, state, at.toISOString()), pending: null };
}

