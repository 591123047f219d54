import { describe, expect, it } from 'vitest';
import { parsePlan, PlanError } from './plan.js';

const good = {
  experiment: 'checkout_v2',
  variants: ['old', 'new'],
  events: ['checkout_error', 'checkout_loaded', 'purchase'],
  guardrails: ['rate:checkout_error:2%:5%', 'p95:checkout_loaded:5s:10s'],
  stages: [
    { name: 'canary', percent: 5, minDuration: '72h' },
    { name: 'beta', percent: 25, minDuration: '7d', guardrails: [{ type: 'non-inferiority', metric: 'purchase', margin: 0.05 }] },
    { name: 'full', percent: 100, minDuration: '48h' },
  ],
  interval: '10m',
  alpha: 0.05,
  advance: 'auto',
};

const refused = (change: (plan: any) => void): PlanError => {
  const plan = structuredClone(good) as any;
  change(plan);
  try {
    parsePlan(plan);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return error as PlanError;
  }
  throw new Error('the plan was accepted');
};

describe('parsePlan', () => {
  it('reads stages, durations, the shared and the stage guardrails, and the defaults', () => {
    const plan = parsePlan(good);
    expect(plan.stages.map((s) => [s.name, s.percent, s.minDurationMs])).toEqual([
      ['canary', 5, 72 * 3_600_000],
      ['beta', 25, 7 * 86_400_000],
      ['full', 100, 48 * 3_600_000],
    ]);
    expect(plan.stages[0]!.guardrails.map((g) => g.type)).toEqual(['rate', 'percentile']);
    expect(plan.stages[1]!.guardrails.map((g) => g.type)).toEqual(['rate', 'percentile', 'non-inferiority']);
    expect(plan.stages[0]!.guardrails[1]).toMatchObject({ event: 'checkout_loaded', percentile: 95, hold: 5000, rollback: 10000 });
    expect(plan).toMatchObject({ intervalMs: 600_000, alpha: 0.05, advance: 'auto', exposureEvent: 'experiment_exposure', horizon: 10_000, minSamples: 100, webhook: null });
    expect(parsePlan({ ...good, advance: undefined, interval: undefined }).advance).toBe('manual');
  });

  it('refuses stages that do not rise, naming the stage, the value and the rule', () => {
    const error = refused((p) => (p.stages[1].percent = 5));
    expect(error.field).toBe('stages[1].percent');
    expect(error.message).toBe('stages[1].percent is 5, must be above stages[0].percent (5): stages only rise');
    expect(refused((p) => (p.stages[2].percent = 120)).message).toBe('stages[2].percent is 120, must be a number above 0 and at most 100');
    expect(refused((p) => (p.stages = [])).field).toBe('stages');
  });

  it('refuses a guardrail on an event the plan does not track', () => {
    const error = refused((p) => (p.stages[0].guardrails = ['rate:chekout_error:2%:5%']));
    expect(error.message).toBe('stages[0].guardrails[0].metric is "chekout_error", is not one of the plan\'s events (checkout_error, checkout_loaded, purchase)');
    expect(refused((p) => (p.guardrails = ['p95:page_loaded:5s:10s'])).field).toBe('guardrails[0].event');
  });

  it('refuses thresholds in the wrong order and unknown guardrail forms', () => {
    expect(refused((p) => (p.guardrails = ['rate:checkout_error:5%:2%'])).message).toMatch(/^guardrails\[0\] is "rate:checkout_error:5%:2%", must be a guardrail .*hold \(0\.05\) must not be above .*rollback \(0\.02\)/);
    expect(refused((p) => (p.guardrails = [{ type: 'percentile', event: 'checkout_loaded', percentile: 95, hold: 9000, rollback: 4000 }])).message).toMatch(/hold \(9000\) must not be above/);
    expect(refused((p) => (p.guardrails = ['errors:checkout_error:2%'])).message).toMatch(/starts with "errors"/);
    expect(refused((p) => (p.guardrails = ['lift:checkout_loaded.ms:-5%'])).message).toMatch(/relative-change guardrail, which the monitor cannot judge/);
  });

  it('refuses bad durations, levels, advance modes, webhooks and unknown fields', () => {
    expect(refused((p) => (p.stages[0].minDuration = '72 hours')).message).toBe('stages[0].minDuration is "72 hours", must be a duration above 0 like "5m", "72h" or "7d" (s, m, h, d)');
    expect(refused((p) => (p.interval = '0m')).field).toBe('interval');
    expect(refused((p) => (p.alpha = 0.7)).message).toBe('alpha is 0.7, must be a number between 0 and 0.5');
    expect(refused((p) => (p.advance = 'yes')).message).toBe('advance is "yes", must be "auto" or "manual"');
    expect(refused((p) => (p.webhook = 'hooks.slack.com/x')).field).toBe('webhook');
    expect(refused((p) => (p.stages[0].percnt = 5)).message).toMatch(/^stages\[0\]\.percnt is 5, is not a plan field/);
    expect(refused((p) => (p.variants = ['old'])).field).toBe('variants');
    expect(refused((p) => (p.experiment = 'Checkout V2')).field).toBe('experiment');
  });

  it('refuses a non-inferiority guardrail on a stage at 100%, which has no control to compare with', () => {
    const error = refused((p) => (p.guardrails = [...p.guardrails, 'noninferior:purchase:5%']));
    expect(error.field).toBe('guardrails[2]');
    expect(error.message).toMatch(/is a non-inferiority guardrail, which needs a control arm, and stages\[2\] at 100% has none/);
    expect(refused((p) => (p.stages[2].guardrails = ['noninferior:purchase:5%'])).field).toBe('stages[2].guardrails[0]');
  });

  it('refuses a stage with no guardrail at all', () => {
    const error = refused((p) => {
      delete p.guardrails;
    });
    expect(error.field).toBe('stages[0].guardrails');
  });
});
