import { describe, expect, it } from 'vitest';
import { newcombeDifferenceInterval } from '@bucketry/stats';
import { alwaysValidRates } from '@bucketry/stats';
import { holmAdjust } from '@bucketry/stats';
import { twoProportionZTest } from '@bucketry/stats';
import { compareMetrics } from './metrics.js';
import { sequentialOptions } from './sequential-options.js';

describe('compareMetrics', () => {
  const variants = ['tree', 'list', 'grid'];
  const units = [10_000, 10_000, 10_000];
  const conversions = [
    [1000, 1100, 1010], // success
    [500, 560, 470], // success
    [100, 130, 90], // guardrail
  ];

  it('adjusts the p-values of every treatment on every success metric together (Holm), and leaves guardrails alone', () => {
    const results = compareMetrics(['a', 'b', 'errors'], 2, variants, units, conversions, 0.95);
    const raw = [
      twoProportionZTest(1000, 10_000, 1100, 10_000)!.pValue,
      twoProportionZTest(1000, 10_000, 1010, 10_000)!.pValue,
      twoProportionZTest(500, 10_000, 560, 10_000)!.pValue,
      twoProportionZTest(500, 10_000, 470, 10_000)!.pValue,
    ];
    const adjusted = holmAdjust(raw);
    expect(results[0]!.comparisons.map((c) => c.adjustedPValue)).toEqual([adjusted[0], adjusted[1]]);
    expect(results[1]!.comparisons.map((c) => c.adjustedPValue)).toEqual([adjusted[2], adjusted[3]]);
    expect(results[0]!.comparisons[0]!.significant).toBe(adjusted[0]! < 0.05);
    expect(results[2]!.role).toBe('guardrail');
    expect(results[2]!.comparisons.every((c) => c.adjustedPValue === null && c.significant === null && c.pValue !== null)).toBe(true);
  });

  it('reports each comparison the always-valid way too, Holm-adjusting the success metrics\' always-valid p-values over their own family', () => {
    const sequential = sequentialOptions(0.95);
    const results = compareMetrics(['a', 'b', 'errors'], 2, variants, units, conversions, 0.95, sequential);
    const anytime = (x: number) => alwaysValidRates(1000, 10_000, x, 10_000, 0.05, sequential.spread);
    const [ab, ag] = results[0]!.comparisons;
    expect(ab!.sequential).toMatchObject({ pValue: anytime(1100).pValue, absoluteLift: anytime(1100).difference, relativeLift: anytime(1100).relative });
    const raw = [anytime(1100).pValue!, anytime(1010).pValue!, alwaysValidRates(500, 10_000, 560, 10_000, 0.05, sequential.spread).pValue!, alwaysValidRates(500, 10_000, 470, 10_000, 0.05, sequential.spread).pValue!];
    const adjusted = holmAdjust(raw);
    expect([ab!.sequential!.adjustedPValue, ag!.sequential!.adjustedPValue, ...results[1]!.comparisons.map((c) => c.sequential!.adjustedPValue)]).toEqual(adjusted);
    // 1,000 → 1,100 of 10,000 is significant once (z-test p = 0.021) but not at every look (always-valid p = 0.34).
    expect([ab!.significant, ab!.sequential!.significant]).toEqual([false, false]);
    expect(ab!.pValue!).toBeLessThan(0.05);
    expect(ab!.sequential!.pValue!).toBeGreaterThan(0.3);
    expect(results[2]!.comparisons.every((c) => c.sequential!.adjustedPValue === null && c.sequential!.significant === null && c.sequential!.pValue !== null)).toBe(true);
  });

  it('reports zero conversions as zeros, with a null relative lift rather than NaN', () => {
    const [result] = compareMetrics(['session_started_from_tree'], 1, ['tree', 'list'], [900, 100], [[0, 0]], 0.95);
    expect(result!.variants).toEqual([
      { name: 'tree', units: 900, conversions: 0, rate: 0 },
      { name: 'list', units: 100, conversions: 0, rate: 0 },
    ]);
    // The z-test does not exist with a pooled standard error of 0: null, as the README promises, and out of the Holm family.
    expect(result!.comparisons[0]).toMatchObject({ relativeLift: null, z: null, pValue: null, adjustedPValue: null, significant: null });
    // No events in either arm is still an interval around 0, not the point 0 (Newcombe's score interval).
    expect(result!.comparisons[0]!.absoluteLift).toEqual(newcombeDifferenceInterval(0, 900, 0, 100, 0.95));
    expect(result!.comparisons[0]!.absoluteLift!.high).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });

  it('leaves the comparison empty when an arm has no units', () => {
    const [result] = compareMetrics(['m'], 1, ['tree', 'list'], [900, 0], [[10, 0]], 0.95);
    expect(result!.variants[1]!.rate).toBeNull();
    expect(result!.comparisons[0]).toMatchObject({ absoluteLift: null, relativeLift: null, pValue: null, adjustedPValue: null, sequential: null });
  });
});
