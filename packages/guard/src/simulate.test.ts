import { describe, expect, it } from 'vitest';
import { parsePlan } from './plan.js';
import { simulateStage } from './simulate.js';

const DAY = 86_400_000;
const planWith = (guardrails: string[], percent = 5) =>
  parsePlan({ experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error'], guardrails, stages: [{ percent, minDuration: '72h' }], interval: '10m', alpha: 0.05 });

/** Share of seeded A/A runs of 400 looks that rolled back. */
function falseRollbacks(guardrails: string[], rate: number, runs: number, percent: number): number {
  const plan = planWith(guardrails, percent);
  let rolledBack = 0;
  for (let seed = 1; seed <= runs; seed++) {
    const run = simulateStage({ plan, seed, looks: 400, unitsPerDay: 10_000, behave: (_arm, _t, random) => (random() < rate ? [{ name: 'checkout_error' }] : []) });
    if (run.rollbackLook !== null) rolledBack++;
  }
  return rolledBack / runs;
}

describe('A/A: both arms alike, 400 looks each', () => {
  it('rolls back at most α of the time where both arms sit above the rollback limit (only the test against control stands in the way)', () => {
    // 6% errors in both arms, rollback limit 5%: a fixed threshold would roll back nearly every run.
    expect(falseRollbacks(['rate:checkout_error:2%:5%'], 0.06, 200, 50)).toBeLessThanOrEqual(0.05);
  });

  it('rolls back at most α of the time on a non-inferiority guardrail with no margin', () => {
    expect(falseRollbacks(['noninferior:checkout_error:0%:lower-is-better'], 0.05, 200, 50)).toBeLessThanOrEqual(0.05);
  });

  it('a fixed-horizon test repeated at every look would not: the same runs judged by |z| > 1.96 roll back far more often', async () => {
    // The reason for the always-valid tests, shown on the same traffic: count runs where the plain z-test rejects at some look.
    const { twoProportionZTest } = await import('@bucketry/stats');
    let rejected = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const x = [0, 0];
      const n = [0, 0];
      const plan = planWith(['rate:checkout_error:2%:5%'], 50);
      let hit = false;
      simulateStage({
        plan, seed, looks: 400, unitsPerDay: 10_000,
        behave: (arm, t, random) => {
          n[arm]!++;
          const error = random() < 0.06;
          if (error) x[arm]!++;
          const test = n[0]! > 100 && n[1]! > 100 ? twoProportionZTest(x[0]!, n[0]!, x[1]!, n[1]!) : undefined;
          if (test !== undefined && test.z > 1.96) hit = true;
          return error ? [{ name: 'checkout_error' }] : [];
        },
      });
      if (hit) rejected++;
    }
    expect(rejected / 100).toBeGreaterThan(0.1);
  });
});

describe('an injected regression', () => {
  it('at 100,000 units a day is rolled back within hours, however long the good traffic before it', () => {
    const plan = planWith(['rate:checkout_error:2%:5%']);
    const run = simulateStage({
      plan, seed: 5, looks: 7 * 144, unitsPerDay: 100_000,
      behave: (arm, t, random) => (random() < (arm === 1 && t >= 2 * DAY ? 0.06 : 0.01) ? [{ name: 'checkout_error' }] : []),
    });
    expect(run.rollbackAfterMs! - 2 * DAY).toBeGreaterThan(0);
    expect(run.rollbackAfterMs! - 2 * DAY).toBeLessThan(DAY / 2);
  });

  it('1% → 6% errors in a 5% canary after a day is rolled back, and not before the regression', () => {
    const plan = planWith(['rate:checkout_error:2%:5%']);
    const run = simulateStage({
      plan, seed: 3, looks: 432, unitsPerDay: 10_000,
      behave: (arm, t, random) => (random() < (arm === 1 && t >= DAY ? 0.06 : 0.01) ? [{ name: 'checkout_error' }] : []),
    });
    expect(run.rollbackAfterMs).not.toBeNull();
    expect(run.rollbackAfterMs!).toBeGreaterThan(DAY);
    expect(run.last.reason).toBe('guardrail-breached');
    expect(run.last.toPercent).toBe(0);
  });
});

describe('the last stage at 100%', () => {
  it('passes on the limits alone, with no control to compare with, and rolls back a breach', () => {
    const plan = parsePlan({ experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error'], guardrails: ['rate:checkout_error:2%:5%'], stages: [{ percent: 5, minDuration: '1h' }, { percent: 100, minDuration: '48h' }] });
    const healthy = simulateStage({ plan, stage: 1, seed: 2, looks: 144, unitsPerDay: 10_000, behave: (_arm, _t, random) => (random() < 0.01 ? [{ name: 'checkout_error' }] : []) });
    expect(healthy.last).toMatchObject({ verdict: 'PROCEED', reason: 'min-duration' });
    const broken = simulateStage({ plan, stage: 1, seed: 2, looks: 288, unitsPerDay: 10_000, behave: (_arm, t, random) => (random() < (t > DAY ? 0.08 : 0.01) ? [{ name: 'checkout_error' }] : []) });
    expect(broken.rollbackAfterMs!).toBeGreaterThan(DAY);
  });
});

