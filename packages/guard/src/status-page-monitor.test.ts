import { describe, expect, it } from 'vitest';
import type { Baseline } from './baseline.js';
import { labelOf } from './guardrail-label.js';
import { parsePlan } from './plan.js';
import { statusMonitorView } from './status-page-monitor.js';
import type { Decision, GuardrailJudgement, MonitorState } from './types.js';

// What the status page draws from a monitor's state: this stage's looks only, each guardrail on
// the scale the monitor judges it (with its limits and its baseline), control beside treatment.
const plan = parsePlan({
  experiment: 'skill_tree_layout',
  variants: ['tree', 'list'],
  events: ['skill_tree_error', 'skill_tree_loaded', 'session_started_from_tree'],
  guardrails: ['rate:skill_tree_error:2%:5%', 'p95:skill_tree_loaded:5s:10s'],
  stages: [
    { name: 'canary', percent: 5, minDuration: '5m' },
    { name: 'beta', percent: 25, minDuration: '10m', guardrails: [{ type: 'non-inferiority', metric: 'session_started_from_tree', margin: 0.05 }] },
  ],
  interval: '1m',
});
const [errorRate, p95, sessions] = plan.stages[1]!.guardrails.map((g) => g);

const judged = (label: string, estimate: number, difference: number, verdict: 'PROCEED' | 'HOLD' | 'ROLLBACK'): GuardrailJudgement => ({
  label,
  verdict,
  message: '',
  arms: [{ variant: 'list', samples: 500, estimate, low: estimate - 0.01, high: estimate + 0.01, difference: { estimate: difference, low: difference - 0.01, high: difference + 0.01 }, verdict }],
});

const decision = (look: number, stage: number, at: string, exposures: number[], guardrails: GuardrailJudgement[], extra: Partial<Decision> = {}): Decision => ({
  experiment: 'skill_tree_layout',
  at,
  look,
  verdict: 'HOLD',
  reason: 'guardrail-pending',
  message: `look ${look}`,
  action: 'none',
  stage,
  stageName: plan.stages[stage]!.name,
  percent: plan.stages[stage]!.percent,
  toPercent: plan.stages[stage]!.percent,
  exposures,
  guardrails,
  evidence: null,
  ...extra,
});

const labels = { errors: 'skill_tree_error rate below 2.0% (rollback above 5.0%)', p95: 'p95 skill_tree_loaded below 5s (rollback above 10s)', sessions: 'session_started_from_tree not more than 5.0% below control' };

const state: MonitorState = {
  format: 1,
  experiment: 'skill_tree_layout',
  status: 'running',
  stage: 1,
  stageName: 'beta',
  percent: 25,
  stageStartedAt: '2026-12-08T09:05:00.000Z',
  look: 3,
  lastLookAt: '2026-12-08T09:07:00.000Z',
  cursor: null,
  tallies: [],
  exposures: [300, 100],
  counts: { lines: 0, badLines: 0, otherExposures: 0, unattributed: 0, bytesRead: 0 },
  units: {},
  decisions: [
    decision(1, 0, '2026-12-08T09:05:00.000Z', [950, 50], [judged(labels.errors, 0.01, 0.001, 'PROCEED')], { verdict: 'PROCEED', reason: 'all-clear', action: 'advanced', toPercent: 25 }),
    decision(2, 1, '2026-12-08T09:06:00.000Z', [150, 50], [judged(labels.errors, 0.012, 0.002, 'HOLD'), judged(labels.p95, 0.01, 0.004, 'PROCEED'), judged(labels.sessions, -0.02, -0.02, 'HOLD')]),
    decision(3, 1, '2026-12-08T09:07:00.000Z', [300, 100], [judged(labels.errors, 0.02, 0.01, 'HOLD'), judged(labels.p95, 0.02, 0.005, 'PROCEED'), judged(labels.sessions, 0.03, 0.03, 'PROCEED')]),
  ],
  pending: null,
};

const baseline: Baseline = {
  format: 1,
  experiment: 'skill_tree_layout',
  from: '2026-12-01T00:00:00.000Z',
  to: '2026-12-08T00:00:00.000Z',
  recordedAt: '2026-12-08T00:00:00.000Z',
  source: 'events.jsonl',
  units: 1000,
  events: 3000,
  lines: 3000,
  badLines: 0,
  metrics: [
    { label: labels.errors, type: 'rate', subject: 'skill_tree_error', samples: 1000, hits: 11, value: 0.011, shareAboveHold: null, shareAboveRollback: null },
    { label: labels.p95, type: 'percentile', subject: 'skill_tree_loaded', samples: 900, hits: 9, value: 1520, shareAboveHold: 0.01, shareAboveRollback: 0.002 },
  ],
};

describe('statusMonitorView', () => {
  it('takes the labels the judge gives', () => {
    // The decisions below are written with these labels: a guardrail's points are found by its label.
    expect([errorRate, p95, sessions].map((g) => labelOf(g!))).toEqual([labels.errors, labels.p95, labels.sessions]);
  });

  it("draws this stage's looks, each guardrail with control, limits and baseline", () => {
    const view = statusMonitorView(plan, state, baseline);
    expect(view.stage).toEqual({ name: 'beta', index: 1, count: 2, percent: 25, startedAt: '2026-12-08T09:05:00.000Z', minDurationMs: 600_000 });
    // Look 1 judged the canary (stage 0): not a point of this stage.
    expect(view.looks).toEqual([
      { at: '2026-12-08T09:06:00.000Z', units: [150, 50] },
      { at: '2026-12-08T09:07:00.000Z', units: [300, 100] },
    ]);
    const [errors, loads, lift] = view.guardrails;
    expect(errors).toMatchObject({ label: labels.errors, unit: 'rate', hold: 0.02, rollback: 0.05, baseline: 0.011 });
    expect(errors!.points.map((p) => [p.treatment, p.control, p.verdict])).toEqual([
      [0.012, 0.01, 'hold'],
      [0.02, 0.01, 'hold'],
    ]);
    // p95 is judged by the share of durations above the rollback limit: its limit there is 5%.
    expect(loads).toMatchObject({ measure: 'share of skill_tree_loaded durations above 10 s; p95 is above it when the share is above 5%', unit: 'rate', hold: null, rollback: 0.05, baseline: 0.002 });
    expect(loads!.points[1]!.treatment).toBe(0.02);
    expect(loads!.points[1]!.control).toBeCloseTo(0.015, 12);
    // A relative lift has no control value and no baseline; it rolls back below −5%.
    expect(lift).toMatchObject({ unit: 'rate', hold: null, rollback: -0.05, baseline: null });
    expect(lift!.points.map((p) => [p.treatment, p.control])).toEqual([
      [-0.02, null],
      [0.03, null],
    ]);
    expect(view.decisions[0]!.reason).toBe('look 1, canary at 5%, advanced to 25% (all-clear): look 1');
    expect(view.decisions).toHaveLength(3);
  });

  it('shows no baseline where none was recorded', () => {
    expect(statusMonitorView(plan, state).guardrails.map((g) => g.baseline)).toEqual([null, null, null]);
  });
});
