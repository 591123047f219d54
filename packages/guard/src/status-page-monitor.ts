// From what the monitor persists (its state and decisions) and the plan's baseline to what the
// status page draws. Pure: the caller reads the state file or the monitor's memory.
import type { Guardrail } from '@bucketry/analyze';
import { baselineMetricOf, type Baseline } from './baseline.js';
import { millisText } from './charts-html.js';
import { labelOf } from './guardrail-label.js';
import type { StatusGuardrail, StatusMonitorView } from './status-page-data.js';
import type { ArmJudgement, Decision, MonitorState, Plan } from './types.js';

/** How a guardrail is drawn: the quantity the monitor judges, its limits on that scale, and the baseline on it. */
function scaleOf(g: Guardrail, baseline: Baseline | null): Omit<StatusGuardrail, 'points'> {
  const label = labelOf(g);
  const metric = baselineMetricOf(baseline, g);
  switch (g.type) {
    case 'rate':
      return { label, unit: 'rate', hold: g.hold, rollback: g.rollback, baseline: metric?.value ?? null };
    case 'percentile': {
      // p95 below a limit is the same as fewer than 5% of durations above it: the monitor tallies the share.
      const tail = (100 - g.percentile) / 100;
      return {
        label,
        measure: `share of ${g.event} durations above ${millisText(g.rollback)}; p${g.percentile} is above it when the share is above ${+(tail * 100).toFixed(2)}%`,
        unit: 'rate',
        hold: null,
        rollback: tail,
        baseline: metric?.shareAboveRollback ?? null,
      };
    }
    case 'mean':
      return { label, unit: 'value', hold: g.hold, rollback: g.rollback, baseline: metric?.value ?? null };
    case 'non-inferiority':
      return { label, measure: 'relative lift against control', unit: 'rate', hold: null, rollback: g.direction === 'lower-is-better' ? g.margin : -g.margin, baseline: null };
    case 'relative-change':
      return { label, unit: 'value', hold: null, rollback: null, baseline: null };
  }
}

/** Control's value beside the treatment's: the treatment's estimate less the difference (absolute differences only). */
function controlOf(g: Guardrail, arm: ArmJudgement | undefined): number | null {
  if (arm === undefined || arm.estimate === null || arm.difference === null || g.type === 'non-inferiority') return null;
  return arm.estimate - arm.difference.estimate;
}

/**
 * The status page's view of a monitor: the current stage, the looks of this stage (units per
 * variant), each guardrail's trend at those looks (the first treatment against control, on the
 * scale the monitor judges, with its limits and its baseline), and every decision.
 *
 * @example
 * ```ts
 * const handler = createStatusHandler({ store, experiment: plan.experiment, token, monitor: async () => statusMonitorView(plan, monitor.state(), baseline) });
 * ```
 */
export function statusMonitorView(plan: Plan, state: MonitorState, baseline: Baseline | null = null): StatusMonitorView {
  const stage = plan.stages[state.stage];
  const inStage = (d: Decision) => d.stage === state.stage && Date.parse(d.at) >= Date.parse(state.stageStartedAt);
  const looks = state.decisions.filter(inStage);
  const guardrails = (stage?.guardrails ?? []).map((g): StatusGuardrail => {
    const label = labelOf(g);
    return {
      ...scaleOf(g, baseline),
      points: looks.map((d) => {
        const judged = d.guardrails.find((j) => j.label === label);
        const arm = judged?.arms[0];
        return { at: d.at, treatment: arm?.estimate ?? null, control: controlOf(g, arm), verdict: (arm?.verdict ?? judged?.verdict ?? 'HOLD').toLowerCase() };
      }),
    };
  });
  return {
    stage: stage
      ? { name: state.stageName, index: state.stage, count: plan.stages.length, percent: state.percent, startedAt: state.stageStartedAt, minDurationMs: stage.minDurationMs }
      : null,
    variants: plan.variants,
    looks: looks.map((d) => ({ at: d.at, units: d.exposures })),
    guardrails,
    decisions: state.decisions.map((d) => ({
      at: d.at,
      decision: d.verdict,
      reason: `look ${d.look}, ${d.stageName} at ${d.percent}%${d.action === 'none' ? '' : `, ${d.action} to ${d.toPercent}%`} (${d.reason}): ${d.message}`,
    })),
  };
}
