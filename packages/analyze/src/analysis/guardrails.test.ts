import { describe, expect, it } from 'vitest';
import type { Guardrail } from '../policy/policy.js';
import { oneSidedBounds } from '../stats/lift.js';
import { QuantileSketch } from '../stats/quantile-sketch.js';
import { evaluateGuardrails } from './guardrails.js';
import { compareMetrics } from './metrics.js';

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
    const { result, comparisons } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1 }, [1000, 1000, 920, 500]);
    expect(result.arms.map((a) => [a.variant, a.outcome])).toEqual([
      ['a', 'proceed'],
      ['b', 'hold'],
      ['c', 'rollback'],
    ]);
    expect(result.arms.map((a) => a.value)).toEqual(comparisons.map((c) => oneSidedBounds(c.relativeLift!, 0.05).lower));
    expect(result.outcome).toBe('rollback');
  });

  it('non-inferiority, lower is better: the mirror image, judged by the upper bound', () => {
    // Relative lifts 0, +8% and +50% of an error rate; margin 10%.
    const { result, comparisons } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1, direction: 'lower-is-better' }, [1000, 1000, 1080, 1500]);
    expect(result.arms.map((a) => [a.variant, a.outcome])).toEqual([
      ['a', 'proceed'],
      ['b', 'hold'],
      ['c', 'rollback'],
    ]);
    expect(result.arms.map((a) => a.value)).toEqual(comparisons.map((c) => oneSidedBounds(c.relativeLift!, 0.05).upper));
  });

  it('non-inferiority holds when the lift cannot be computed: no conversions in control', () => {
    const { result } = judge({ type: 'non-inferiority', metric: 'm', margin: 0.1 }, [0, 0, 5, 10]);
    expect(result.arms.map((a) => [a.outcome, a.value])).toEqual([
      ['hold', null],
      ['hold', null],
      ['hold', null],
    ]);
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
