import { describe, expect, it } from 'vitest';
import { EXACT_CAPACITY, QuantileSketch, RELATIVE_ACCURACY } from './quantile-sketch.js';
import { reference } from './reference.test-helper.js';

/** The same values fixtures/make_reference.py generates: frac(i·2654435761/2³²), spread log-normally. */
function generated(count: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const u = (Math.imul(i, 2654435761) >>> 0) / 2 ** 32;
    values.push(i % 7 ? 250 * Math.exp(3 * (u - 0.5)) : 4000 * u);
  }
  return values;
}

describe('QuantileSketch', () => {
  type Generated = { count: number; quantiles: Record<string, number> };
  const [small, large] = reference.quantiles.generated as Generated[];

  it('is exact (as numpy.percentile) while it holds few values', () => {
    const sketch = new QuantileSketch();
    for (const v of generated(small!.count)) sketch.add(v);
    expect(small!.count).toBeLessThanOrEqual(EXACT_CAPACITY);
    for (const [q, expected] of Object.entries(small!.quantiles)) expect(sketch.quantile(Number(q))).toBeCloseTo(expected, 9);
  });

  it(`stays within ${RELATIVE_ACCURACY * 100}% of numpy.percentile once bucketed`, () => {
    const sketch = new QuantileSketch();
    for (const v of generated(large!.count)) sketch.add(v);
    expect(sketch.count).toBe(large!.count);
    for (const [q, expected] of Object.entries(large!.quantiles)) {
      const actual = sketch.quantile(Number(q))!;
      expect(Math.abs(actual - expected) / expected, `q ${q}: ${actual} vs ${expected}`).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
  });

  it('counts zeros, answers undefined when empty, and refuses q outside [0, 1]', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantile(0.5)).toBeUndefined();
    for (let i = 0; i < EXACT_CAPACITY + 10; i++) sketch.add(i % 2 === 0 ? 0 : 1000);
    expect(sketch.quantile(0.25)).toBe(0);
    expect(Math.abs(sketch.quantile(0.9)! - 1000) / 1000).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    expect(() => sketch.quantile(-0.1)).toThrow('q is -0.1, must be from 0 to 1');
  });

  type Interval = { count: number; q: number; low: number; high: number };
  it.each(reference.quantileIntervals as Interval[])('gives the order statistics at ranks nq ± z·√(nq(1−q)) for q = $q of $count values, as NumPy does', ({ count, q, low, high }) => {
    const sketch = new QuantileSketch();
    for (const v of generated(count)) sketch.add(v);
    const interval = sketch.quantileInterval(q)!;
    const tolerance = count > EXACT_CAPACITY ? RELATIVE_ACCURACY : 1e-12;
    expect(Math.abs(interval.low - low) / low, `low ${interval.low} vs ${low}`).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(interval.high - high) / high, `high ${interval.high} vs ${high}`).toBeLessThanOrEqual(tolerance);
    expect(interval.low).toBeLessThanOrEqual(sketch.quantile(q)!);
    expect(interval.high).toBeGreaterThanOrEqual(sketch.quantile(q)!);
  });

  it('keeps the exact mean and standard deviation, bucketed or not', () => {
    const values = generated(20_000);
    const sketch = new QuantileSketch();
    expect(sketch.mean).toBeNaN();
    for (const v of values) sketch.add(v);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
    expect(sketch.mean).toBeCloseTo(mean, 9);
    expect(sketch.sd).toBeCloseTo(sd, 9);
    expect(sketch.quantileInterval(0.5, 0.99)!.high - sketch.quantileInterval(0.5, 0.99)!.low).toBeGreaterThan(sketch.quantileInterval(0.5, 0.9)!.high - sketch.quantileInterval(0.5, 0.9)!.low);
  });
});
