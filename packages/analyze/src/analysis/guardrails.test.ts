import { describe, expect, it } from 'vitest';
import type { Guardrail } from '../policy/policy.js';
import { alwaysValidRates } from '@bucketry/stats';
import { relativeLiftBounds } from '@bucketry/stats';
import { QuantileSketch } from '@bucketry/stats';
import { evaluateGuardrails } from './guardrails.js';
import { compareMetrics } from './metrics.js';
import { sequentialOptions } from './sequential-options.js';

const VARIANTS = ['control', 'a', 'b', 'c'];
const UNITS = [10_000, 10_000, 10_000, 10_000];

/** One guardrail judged on one metric with these conversions per variant (10,000 units each). */
function judge(guardrail: Guardrail, conversions: number[]) {
  const metrics = compareMetrics(['m'], 0, VARIANTS, UNITS, [conversions], 0.95);
  const [result] = evaluateGuardrails([guardrail], VARIANTS, metrics, () => undefined, () => 1);
  return { result: result!, comparisons: metrics[0]!.comparisons };
}

describe('evaluateGuardrails', () => {
  it('non-inferiority, higher is better: proceeds above −margin, holds across it, rolls back wholly below it, by the one-sided bounds', () => {
    // Relative lifts 0, −8% and −50% against a 10% control rate; margin 10%.
    const conversions = [1000, 1000, 920, 500];
    const { result } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1 }, conversions);
    expect(result.arms.map((a) => [a.variant, a.outcome])).toEqual([
      ['a', 'proceed'],
      ['b', 'hold'],
      ['c', 'rollback'],
    ]);
    expect(result.arms.map((a) => a.value)).toEqual(conversions.slice(1).map((x) => relativeLiftBounds(1000, 10_000, x, 10_000, 0.05)!.lower));
    expect(result.outcome).toBe('rollback');
  });

  it('non-inferiority, lower is better: the mirror image, judged by the upper bound', () => {
    // Relative lifts 0, +8% and +50% of an error rate; margin 10%.
    const conversions = [1000, 1000, 1080, 1500];
    const { result } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1, direction: 'lower-is-better' }, conversions);
    expect(result.arms.map((a) => [a.variant, a.outcome])).toEqual([
      ['a', 'proceed'],
      ['b', 'hold'],
      ['c', 'rollback'],
    ]);
    expect(result.arms.map((a) => a.value)).toEqual(conversions.slice(1).map((x) => relativeLiftBounds(1000, 10_000, x, 10_000, 0.05)!.upper));
  });

  it('non-inferiority judged by the always-valid sequence when the sequential tests decide: wider, so a bound that passed once may not yet', () => {
    const guardrail: Guardrail = { type: 'non-inferiority', metric: 'm', margin: 0.1 };
    const conversions = [1000, 1000, 920, 500];
    const sequential = sequentialOptions(0.95, true);
    const metrics = compareMetrics(['m'], 0, VARIANTS, UNITS, [conversions], 0.95, sequential);
    const [result] = evaluateGuardrails([guardrail], VARIANTS, metrics, () => undefined, () => 1, sequential);
    const bound = (x: number) => alwaysValidRates(1000, 10_000, x, 10_000, 0.05, sequential.spread).relative!.low;
    expect(result!.arms.map((a) => a.value)).toEqual(conversions.slice(1).map(bound));
    // Relative lift 0: the fixed-horizon lower bound is −7.1% (> −10%, proceed); the always-valid one −12.2%: hold.
    expect(relativeLiftBounds(1000, 10_000, 1000, 10_000, 0.05)!.lower).toBeGreaterThan(-0.1);
    expect(result!.arms.map((a) => [a.variant, a.outcome])).toEqual([
      ['a', 'hold'],
      ['b', 'hold'],
      ['c', 'rollback'],
    ]);
    const sequence = alwaysValidRates(1000, 10_000, 1000, 10_000, 0.05, sequential.spread).relative!;
    expect(result!.arms[0]!.reading).toEqual({ kind: 'bounds', estimate: 0, lower: sequence.low, upper: sequence.high, alpha: 0.05, alwaysValid: true });
    expect(sequence.low).toBeCloseTo(-0.122, 3);
  });

  it('non-inferiority holds when the lift cannot be computed: no conversions in control', () => {
    const { result } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1 }, [0, 0, 5, 10]);
    expect(result.arms.map((a) => [a.outcome, a.value])).toEqual([
      ['hold', null],
      ['hold', null],
      ['hold', null],
    ]);
  });

  it('non-inferiority at the edges: 3/3 vs 3/3 proves nothing, and 1/5 vs 0/5 (Fisher p = 1) is no reason to roll back', () => {
    const guardrail: Guardrail = { type: 'non-inferiority', metric: 'm', margin: 0.05 };
    const judgeTwo = (units: number[], conversions: number[]) =>
      evaluateGuardrails([guardrail], ['control', 'a'], compareMetrics(['m'], 0, ['control', 'a'], units, [conversions], 0.95), () => undefined, () => 1)[0]!;
    const allConverted = judgeTwo([3, 3], [3, 3]);
    expect(allConverted.outcome).toBe('hold');
    expect(allConverted.arms[0]!.value).toBe(relativeLiftBounds(3, 3, 3, 3, 0.05)!.lower);
    const noneConverted = judgeTwo([5, 5], [1, 0]);
    expect(noneConverted.outcome).toBe('hold');
    expect(noneConverted.arms[0]!.reading).toMatchObject({ kind: 'bounds', estimate: -1, lower: -1, alwaysValid: false });
  });

  it('non-inferiority does not decide on an interval that does not exist: too few events to judge', () => {
    const { result } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1 }, [0, 0, 5, 10]);
    expect(result.arms[0]).toEqual({ variant: 'a', outcome: 'hold', value: null, reading: { kind: 'not-judged', why: 'no-control-conversions' } });
  });

  it('a rate proceeds below hold, holds from hold up to rollback (both included), rolls back above', () => {
    const { result } = judge({ type: 'rate', metric: 'm', hold: 0.02, rollback: 0.05 }, [0, 199, 200, 500]);
    expect(result.arms.map((a) => [a.value, a.outcome])).toEqual([
      [0.0199, 'proceed'],
      [0.02, 'hold'],
      [0.05, 'hold'],
    ]);
    expect(judge({ type: 'rate', metric: 'm', hold: 0.02, rollback: 0.05 }, [0, 0, 0, 501]).result.arms[2]!.outcome).toBe('rollback');
  });

  it('a percentile is judged against its limits the same way, and holds for a treatment without durations', () => {
    const sketch = (...values: number[]) => {
      const s = new QuantileSketch();
      for (const v of values) s.add(v);
      return s;
    };
    const guardrail: Guardrail = { type: 'percentile', event: 'loaded', percentile: 95, hold: 5000, rollback: 10_000 };
    const judged = (sketches: QuantileSketch[]) => evaluateGuardrails([guardrail], VARIANTS, [], (event) => (event === 'loaded' ? sketches : undefined), () => 0)[0]!;
    expect(judged([sketch(1), sketch(4999), sketch(5000), sketch(10_000)]).arms.map((a) => a.outcome)).toEqual(['proceed', 'hold', 'hold']);
    expect(judged([sketch(1), sketch(1), sketch(), sketch(10_001)]).arms.map((a) => [a.outcome, a.value])).toEqual([
      ['proceed', 1],
      ['hold', null],
      ['rollback', 10_001],
    ]);
  });
});
