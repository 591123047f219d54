import { parseGuardrailSpec, type Guardrail } from '@bucketry/analyze';
import { mixtureSpread } from '@bucketry/stats';
import { describe, expect, it } from 'vitest';
import { labelOf } from './guardrail-label.js';
import { judgeGuardrail } from './judge.js';
import type { ArmTally, GuardrailTally } from './types.js';

const options = { alpha: 0.05, spread: mixtureSpread(0.05, 10_000), minSamples: 100 };
const arm = (variant: string, fields: Partial<ArmTally>): ArmTally => ({ variant, n: 0, hits: 0, over: 0, sum: 0, sumSquares: 0, ...fields });
const tally = (spec: string | Guardrail, control: Partial<ArmTally>, treatment: Partial<ArmTally>): GuardrailTally => {
  const guardrail = typeof spec === 'string' ? parseGuardrailSpec(spec) : spec;
  return { label: labelOf(guardrail), guardrail, arms: [arm('old', control), arm('new', treatment)] };
};
const judge = (spec: string | Guardrail, control: Partial<ArmTally>, treatment: Partial<ArmTally>) => judgeGuardrail(tally(spec, control, treatment), options);

describe('rate guardrails', () => {
  const spec = 'rate:checkout_error:2%:5%';

  it('do not roll back a difference shown to be within the rollback limit', () => {
    // 3% against 1% on many units: worse beyond chance, but surely below 5%.
    const j = judge(spec, { n: 200_000, hits: 2000 }, { n: 50_000, hits: 1500 });
    expect(j.verdict).toBe('HOLD');
    expect(j.arms[0]!.high!).toBeLessThan(0.05);
  });

  it('roll back when the treatment is shown worse than control and not shown below the limit', () => {
    const j = judge(spec, { n: 20_000, hits: 200 }, { n: 1000, hits: 80 });
    expect(j.verdict).toBe('ROLLBACK');
    expect(j.arms[0]).toMatchObject({ variant: 'new', samples: 1000, estimate: 0.08 });
    expect(j.message).toMatch(/^new: checkout_error rate 8\.0% \(80\/1000 units, always-valid .*\), above control, and recently up to .*: not shown below the 5\.0% rollback limit; control 1\.0%/);
  });

  it('meet the rollback limit with the recent window: a regression after days of good traffic is not diluted away', () => {
    // 20,000 treatment units at 1%, then 2,000 at 6%: the stage's rate (1.5%) is surely below 5%, the recent one is not.
    const stage = tally(spec, { n: 400_000, hits: 4000 }, { n: 22_000, hits: 320 });
    expect(judgeGuardrail(stage, options).verdict).toBe('PROCEED');
    const recent = [[arm('old', { n: 40_000, hits: 400 }), arm('new', { n: 2000, hits: 120 })]];
    const judged = judgeGuardrail({ ...stage, recent }, options);
    expect(judged.verdict).toBe('ROLLBACK');
    expect(judged.message).toMatch(/recently up to \d+\.\d% \(120\/2000 units\)/);
  });

  it('do not pass while the recent rate is above the hold limit, though the stage rate is below it', () => {
    const stage = tally(spec, { n: 400_000, hits: 4000 }, { n: 22_000, hits: 250 });
    const recent = [[arm('old', { n: 40_000, hits: 400 }), arm('new', { n: 2000, hits: 50 })]];
    const judged = judgeGuardrail({ ...stage, recent }, options);
    expect(judged.verdict).toBe('HOLD');
    expect(judged.message).toMatch(/below the 2\.0% hold limit over the stage, but 2\.5% recently \(50\/2000 units\)/);
  });

  it('hold when both arms are above the limit: a fault the treatment did not cause', () => {
    const j = judge(spec, { n: 20_000, hits: 1600 }, { n: 1000, hits: 80 });
    expect(j.verdict).toBe('HOLD');
    expect(j.message).toMatch(/as is control: a fault both arms share/);
  });

  it('proceed only when the whole confidence sequence is below the hold limit', () => {
    expect(judge(spec, { n: 20_000, hits: 200 }, { n: 5000, hits: 50 }).verdict).toBe('PROCEED');
    // 1% on 150 units: the estimate is fine but the sequence still reaches past 2%.
    const early = judge(spec, { n: 3000, hits: 30 }, { n: 150, hits: 1 });
    expect(early.verdict).toBe('HOLD');
    expect(early.message).toMatch(/not yet below the 2\.0% hold limit: needs more units/);
  });

  it('hold with too few units, saying how many are needed', () => {
    const j = judge(spec, { n: 2000, hits: 20 }, { n: 40, hits: 30 });
    expect(j.verdict).toBe('HOLD');
    expect(j.message).toBe('new: needs 100 units per arm, has 40 (control 2000)');
    // Per arm: a control too small to compare with holds as well.
    expect(judge(spec, { n: 40, hits: 0 }, { n: 5000, hits: 50 }).message).toBe('new: needs 100 units per arm, has 5000 (control 40)');
  });
});

describe('percentile guardrails judge the share of durations above a limit', () => {
  const spec = 'p95:checkout_loaded:5s:10s';

  it('roll back when more than 5% of durations are above 10 s and more than in control', () => {
    expect(judge(spec, { n: 20_000, hits: 400, over: 100 }, { n: 2000, hits: 300, over: 200 }).verdict).toBe('ROLLBACK');
  });

  it('do not pass while the recent share above the hold limit is past the percentile, though the stage is below it', () => {
    const stage = tally(spec, { n: 20_000, hits: 200, over: 10 }, { n: 20_000, hits: 300, over: 5 });
    expect(judgeGuardrail(stage, options).verdict).toBe('PROCEED');
    const recent = [[arm('old', { n: 2000, hits: 20, over: 1 }), arm('new', { n: 1000, hits: 80, over: 1 })]];
    expect(judgeGuardrail({ ...stage, recent }, options).verdict).toBe('HOLD');
  });

  it('proceed when fewer than 5% are above 5 s with confidence, hold while unsure', () => {
    expect(judge(spec, { n: 20_000, hits: 200, over: 10 }, { n: 5000, hits: 50, over: 2 }).verdict).toBe('PROCEED');
    const unsure = judge(spec, { n: 20_000, hits: 200, over: 10 }, { n: 2000, hits: 98, over: 2 });
    expect(unsure.verdict).toBe('HOLD');
    expect(unsure.message).toMatch(/p95 is not yet shown below 5s/);
  });
});

describe('mean guardrails', () => {
  const spec = 'mean:llm_call.cost_usd:0.02:0.05';
  // n values with mean m and standard deviation s: sum and sum of squares.
  const moments = (n: number, m: number, s: number) => ({ n, sum: n * m, sumSquares: (n - 1) * s * s + n * m * m });

  it('roll back above the limit and above control, proceed below the hold limit', () => {
    expect(judge(spec, moments(5000, 0.01, 0.005), moments(2000, 0.08, 0.01)).verdict).toBe('ROLLBACK');
    expect(judge(spec, moments(5000, 0.01, 0.005), moments(2000, 0.01, 0.005)).verdict).toBe('PROCEED');
    expect(judge(spec, moments(5000, 0.01, 0.005), moments(2000, 0.03, 0.005)).verdict).toBe('HOLD');
  });

  it('meet the limits with the recent window: a recent mean above the hold limit holds, one surely above the rollback limit rolls back', () => {
    const stage = tally(spec, moments(20_000, 0.01, 0.005), moments(20_000, 0.012, 0.005));
    expect(judgeGuardrail(stage, options).verdict).toBe('PROCEED');
    const lately = (treatment: ReturnType<typeof moments>) => judgeGuardrail({ ...stage, recent: [[arm('old', moments(2000, 0.01, 0.005)), arm('new', treatment)]] }, options).verdict;
    expect(lately(moments(500, 0.03, 0.005))).toBe('HOLD');
    expect(lately(moments(1000, 0.08, 0.01))).toBe('ROLLBACK');
  });
});

describe('non-inferiority guardrails', () => {
  it('judge the relative lift by its always-valid sequence', () => {
    const spec = 'noninferior:checkout_error:10%:lower-is-better';
    expect(judge(spec, { n: 20_000, hits: 200 }, { n: 2000, hits: 100 }).verdict).toBe('ROLLBACK');
    expect(judge(spec, { n: 200_000, hits: 2000 }, { n: 100_000, hits: 950 }).verdict).toBe('PROCEED');
    expect(judge(spec, { n: 2000, hits: 20 }, { n: 2000, hits: 21 }).verdict).toBe('HOLD');
    expect(judge(spec, { n: 2000, hits: 0 }, { n: 2000, hits: 5 }).message).toMatch(/control has no conversions yet/);
    // Higher is better (conversions): a lift surely below −5% rolls back.
    const conversions = 'noninferior:purchase:5%';
    expect(judge(conversions, { n: 20_000, hits: 2000 }, { n: 20_000, hits: 1500 }).verdict).toBe('ROLLBACK');
    expect(judge(conversions, { n: 20_000, hits: 2000 }, { n: 20_000, hits: 2100 }).verdict).toBe('PROCEED');
  });
});

describe('a stage at 100%: no concurrent control', () => {
  const alone = { ...options, withoutControl: true };
  const none = { n: 0, hits: 0 };
  const judgeAlone = (spec: string, treatment: Partial<ArmTally>, recent?: Partial<ArmTally>) => {
    const t = tally(spec, none, treatment);
    return judgeGuardrail(recent ? { ...t, recent: [[arm('old', {}), arm('new', recent)]] } : t, alone);
  };

  it('judges on the limits alone: a rollback needs the recent sequence wholly above the limit', () => {
    expect(judgeAlone('rate:checkout_error:2%:5%', { n: 20_000, hits: 200 }).verdict).toBe('PROCEED');
    const breached = judgeAlone('rate:checkout_error:2%:5%', { n: 20_000, hits: 400 }, { n: 3000, hits: 300 });
    expect(breached.verdict).toBe('ROLLBACK');
    expect(breached.message).toMatch(/recently \d+\.\d% at least \(300\/3000 units\): above the 5\.0% rollback limit; no concurrent control at 100%/);
    // 6% on 300 units: above the limit by estimate, not surely.
    expect(judgeAlone('rate:checkout_error:2%:5%', { n: 20_000, hits: 400 }, { n: 300, hits: 18 }).verdict).toBe('HOLD');
    expect(judgeAlone('p95:checkout_loaded:5s:10s', { n: 5000, hits: 600, over: 500 }, { n: 2000, hits: 400, over: 300 }).verdict).toBe('ROLLBACK');
    expect(judgeAlone('rate:checkout_error:2%:5%', { n: 50, hits: 0 }).message).toBe('new: needs 100 units, has 50');
  });
});

