import { describe, expect, it } from 'vitest';
import { Random } from '@bucketry/stats';
import { QuantileSketch } from '@bucketry/stats';
import { groupByUnit, quantileDesignEffect } from './design-effect.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

// The coverage simulation below takes a second or two, many times that on a loaded machine.
useSlowTestTimeouts();

/** Units with 1–6 load times each; each unit has its own speed (log-normal spread 0.5), its loads vary around it (0.3). */
function loads(random: Random, units: number) {
  const rows: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < units; u++) {
    const count = 1 + random.int(6);
    const speed = 0.5 * random.normal();
    for (let j = 0; j < count; j++) {
      rows.push(u);
      values.push(800 * Math.exp(speed + 0.3 * random.normal()));
    }
  }
  return { rows: Int32Array.from(rows), values: Float64Array.from(values) };
}

const all = () => 0;
/** D for values of units `rows`, all in variant 0. */
const effectOf = (rows: Int32Array, values: Float64Array, q: number, threshold: number) => quantileDesignEffect(groupByUnit(rows, all), values, 0, q, threshold);

describe('quantileDesignEffect', () => {
  it('is n/(n − 1) with one value per unit, about the values per unit when a unit\'s values are all alike, ∞ for a single unit', () => {
    const one = Float64Array.from({ length: 100 }, (_, i) => i);
    expect(effectOf(Int32Array.from({ length: 100 }, (_, i) => i), one, 0.5, 49.5)).toBeCloseTo(100 / 99, 9);
    // 100 units with 5 equal values each: the count below any threshold moves in steps of 5.
    const rows = Int32Array.from({ length: 500 }, (_, i) => Math.floor(i / 5));
    const alike = Float64Array.from({ length: 500 }, (_, i) => Math.floor(i / 5));
    expect(effectOf(rows, alike, 0.5, 49.5)).toBeCloseTo((5 * 100) / 99, 9);
    expect(effectOf(Int32Array.of(7, 7, 7), Float64Array.of(1, 2, 3), 0.5, 2)).toBe(Infinity);
    // Ties at the threshold are shared out: 100 units whose values are all equal leave nothing to spread (D = 1), not D = 0/0.
    expect(effectOf(Int32Array.from({ length: 100 }, (_, i) => i), new Float64Array(100).fill(3), 0.5, 3)).toBe(1);
  });

  // 300 data sets of 300 units (about 1,050 loads each). The true percentiles come from 100,000
  // units of the same kind. A 95% interval that treats the loads as independent covers them about
  // 80% of the time; widened by the design effect it should cover them 95% of the time: over 300
  // data sets that is 285 ± 3.8 (binomial SD), so at least 274 (3 SD) must, and the binomial one
  // must stay below that.
  it.each([0.5, 0.9, 0.95])('makes the q = %s interval cover the true percentile 95% of the time when a unit\'s loads move together', (q) => {
    const random = new Random(Math.round(q * 100));
    const population = [...loads(random, 100_000).values].sort((a, b) => a - b);
    const truth = population[Math.floor(q * population.length)]!;
    let independent = 0;
    let clustered = 0;
    const RUNS = 300;
    for (let run = 0; run < RUNS; run++) {
      const { rows, values } = loads(random, 300);
      const sketch = new QuantileSketch();
      for (const v of values) sketch.add(v);
      const effect = effectOf(rows, values, q, sketch.quantile(q)!);
      const plain = sketch.quantileInterval(q, 0.95)!;
      const widened = sketch.quantileInterval(q, 0.95, effect)!;
      if (plain.low <= truth && truth <= plain.high) independent++;
      if (widened.low <= truth && truth <= widened.high) clustered++;
    }
    const floor = Math.floor(0.95 * RUNS - 3 * Math.sqrt(RUNS * 0.95 * 0.05));
    expect(clustered).toBeGreaterThanOrEqual(floor);
    expect(independent).toBeLessThan(floor);
  });
});
