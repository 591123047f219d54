import { describe, expect, it } from 'vitest';
import { alwaysValidEstimates, mixtureSpread, welchTTest } from '@bucketry/stats';
import { analyzeText, exposure, track } from './hand-written-export.test-helper.js';

describe('analyzeStream: durations', () => {
  it('keeps durations for at most 64 event names and counts the rest as dropped', async () => {
    const lines = [exposure('a', 'tree', 0), exposure('b', 'list', 0)];
    for (let e = 0; e < 70; e++) lines.push(track('a', `timed_${e}`, 1, { duration_ms: e }), track('b', `timed_${e}`, 1, { duration_ms: e }));
    const report = await analyzeText(lines);
    expect(report.durations).toHaveLength(64);
    expect(report.durations[63]!.event).toBe('timed_63');
    expect(report.input.droppedDurations).toBe(12);
  });

  it('reads durations per event and variant, attributing them to the unit exposed before', async () => {
    const lines = [track('c', 'skill_tree_loaded', 1, { duration_ms: 5 })];
    for (let i = 1; i <= 100; i++) lines.push(exposure(`a${i}`, 'tree', 0), exposure(`b${i}`, 'list', 0));
    for (let i = 1; i <= 100; i++) lines.push(track(`a${i}`, 'skill_tree_loaded', i, { duration_ms: i }), track(`b${i}`, 'skill_tree_loaded', i, { latency_ms: 10 * i }));
    const report = await analyzeText(lines);
    const loaded = report.durations.find((d) => d.event === 'skill_tree_loaded')!;
    expect(loaded.field).toBe('duration_ms');
    expect(loaded.variants[0]).toMatchObject({ name: 'tree', count: 100, p50: 50.5 });
    expect(loaded.variants[0]!.p90).toBeCloseTo(90.1, 9);
    expect(loaded.variants[1]!.p95).toBeCloseTo(950.5, 9);
    expect(report.input.unattributedDurations).toBe(1);
    // Means and Welch's test on the same durations, one per unit: tree 1…100 ms, list 10…1000 ms.
    const tree = Array.from({ length: 100 }, (_, i) => i + 1);
    const list = tree.map((ms) => 10 * ms);
    const moments = (values: number[]) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { count: values.length, mean, sd: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) };
    };
    expect(loaded.variants.map((v) => [v.mean, v.sd])).toEqual([
      [50.5, expect.closeTo(moments(tree).sd, 9)],
      [505, expect.closeTo(moments(list).sd, 9)],
    ]);
    const welch = welchTTest(moments(tree), moments(list))!;
    const anytime = alwaysValidEstimates(welch.difference, undefined, 200, 1 - 0.95, mixtureSpread(1 - 0.95, 10_000));
    expect(loaded.comparisons).toEqual([
      {
        treatment: 'list',
        control: 'tree',
        meanDifference: welch.difference,
        t: welch.t,
        df: welch.df,
        pValue: welch.pValue,
        sequential: { pValue: anytime.pValue, meanDifference: anytime.difference },
      },
    ]);
    // p95 of 100 values: ranks 95 ± 1.96·√(100·0.95·0.05·D) → 90 and 100 (D = 100/99 for one value per unit).
    expect(loaded.variants[0]!.p95Interval).toEqual({ low: 90, high: 100 });
    expect(loaded.variants.map((v) => v.units)).toEqual([100, 100]);
  });

  it('analyses durations on units: a unit with a thousand slow loads no longer dominates the means, the test or the percentile intervals', async () => {
    // 100 units per arm with one 100–199 ms load each, and one list unit with 1,000 loads of 5 s.
    const lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      lines.push(exposure(`t${i}`, 'tree', 0), track(`t${i}`, 'skill_tree_loaded', 1, { duration_ms: 100 + i }));
      lines.push(exposure(`l${i}`, 'list', 0), track(`l${i}`, 'skill_tree_loaded', 1, { duration_ms: 100 + i }));
    }
    lines.push(exposure('whale', 'list', 0));
    for (let i = 0; i < 1000; i++) lines.push(track('whale', 'skill_tree_loaded', 2, { duration_ms: 5000 }));
    const loaded = (await analyzeText(lines)).durations[0]!;
    const [tree, list] = loaded.variants;
    expect([list!.count, list!.units]).toEqual([1100, 101]);
    // Per event the list mean would be 4,554 ms (p ≈ 0); per unit it is 197.5 ms, and Welch's test on the 201 units finds nothing.
    expect(tree!.mean).toBeCloseTo(149.5, 9);
    expect(list!.mean).toBeCloseTo((100 * 149.5 + 5000) / 101, 9);
    expect(loaded.comparisons[0]!.pValue!).toBeGreaterThan(0.05);
    expect(loaded.comparisons[0]!.df!).toBeLessThan(201);
    expect(loaded.comparisons[0]!.meanDifference!.estimate).toBeCloseTo(list!.mean! - tree!.mean!, 9);
  });

  it('widens the percentile intervals by the design effect when a unit\'s durations move together', async () => {
    // 100 units per arm, unit i with five loads of i ms: 500 durations, but only 100 independent
    // units. The count below the median then moves in steps of five: D = 5·100/99, and the ranks
    // are 250 ± 1.96·√(500·¼·D) = 200 and 300 (loads of 40 and 60 ms), where treating the loads
    // as independent (D = 1) would give ranks 229 and 272 (46 and 55 ms).
    const lines: string[] = [];
    for (let i = 1; i <= 100; i++) {
      lines.push(exposure(`t${i}`, 'tree', 0), exposure(`l${i}`, 'list', 0));
      for (let j = 0; j < 5; j++) lines.push(track(`t${i}`, 'skill_tree_loaded', 1 + j, { duration_ms: i }), track(`l${i}`, 'skill_tree_loaded', 1 + j, { duration_ms: i }));
    }
    const loaded = (await analyzeText(lines)).durations[0]!;
    for (const v of loaded.variants) {
      expect([v.count, v.units, v.p50]).toEqual([500, 100, 50.5]);
      expect(v.p50Interval).toEqual({ low: 40, high: 60 });
    }
  });
});
