import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeStream } from './analyze.js';
import { compareMetrics } from './metrics.js';
import { sequentialOptions } from './sequential-options.js';
import { type AnalyzeOptions } from './options.js';

const T0 = Date.UTC(2025, 5, 2, 8);
const OPTIONS: AnalyzeOptions = { experiment: 'checkout_v2', variants: ['old', 'new'], metrics: ['purchase'], funnels: [['add_to_cart', 'checkout', 'purchase']] };

/** Units of a variant, each with the funnel's events it had (minutes after its exposure; negative: before). */
function exportLines(units: Record<string, { variant: string; events: [string, number][] }>): string {
  const lines: string[] = [];
  for (const [userId, { variant, events }] of Object.entries(units)) {
    lines.push(JSON.stringify({ event: 'experiment_exposure', userId, properties: { experiment: 'checkout_v2', variant }, timestamp: new Date(T0).toISOString() }));
    for (const [event, minutes] of events) lines.push(JSON.stringify({ event, userId, properties: {}, timestamp: new Date(T0 + minutes * 60_000).toISOString() }));
  }
  return lines.join('\n') + '\n';
}

describe('funnels', () => {
  it('counts the units with each of the first k events after exposure, per step and variant, and compares each step\'s reach (Holm over the steps)', async () => {
    const units: Record<string, { variant: string; events: [string, number][] }> = {};
    const add = (variant: string, count: number, events: [string, number][]) => {
      for (let i = 0; i < count; i++) units[`${variant}-${Object.keys(units).length}`] = { variant, events };
    };
    // old: 40 units; 20 add to cart, 10 of them check out, 4 of those buy. Two more check out
    // without a cart (not step 2), one added to a cart only before its exposure (not step 1).
    add('old', 4, [['add_to_cart', 1], ['checkout', 2], ['purchase', 3]]);
    add('old', 6, [['add_to_cart', 1], ['checkout', 2]]);
    add('old', 10, [['add_to_cart', 1]]);
    add('old', 2, [['checkout', 1]]);
    add('old', 1, [['add_to_cart', -5]]);
    add('old', 17, []);
    // new: 40 units; 30, 20, 12, in any order (checkout before the cart counts).
    add('new', 12, [['checkout', 1], ['add_to_cart', 2], ['purchase', 3]]);
    add('new', 8, [['add_to_cart', 1], ['checkout', 2]]);
    add('new', 10, [['add_to_cart', 1]]);
    add('new', 10, []);
    const report = await analyzeStream(Readable.from([Buffer.from(exportLines(units))]), OPTIONS);
    const [funnel] = report.funnels;
    expect(funnel!.steps).toEqual(['add_to_cart', 'checkout', 'purchase']);
    expect(funnel!.variants).toEqual([
      { name: 'old', units: 40, reached: [20, 10, 4], stepConversion: [0.5, 0.5, 0.4] },
      { name: 'new', units: 40, reached: [30, 20, 12], stepConversion: [0.75, 20 / 30, 0.6] },
    ]);
    expect(funnel!.reach).toEqual(compareMetrics(funnel!.steps, 3, ['old', 'new'], [40, 40], [[20, 30], [10, 20], [4, 12]], 0.95, sequentialOptions(0.95)));
    expect(funnel!.reach.map((step) => step.comparisons[0]!.adjustedPValue! >= step.comparisons[0]!.pValue!)).toEqual([true, true, true]);
    // Events that only the funnel uses are no metrics of their own; purchase, a success metric, is.
    expect(report.metrics.map((m) => m.name)).toEqual(['purchase']);
    expect(report.balance.buckets[0]!.conversions).toHaveLength(1);
  });

  it('refuses a funnel of fewer than two different events', async () => {
    await expect(analyzeStream(Readable.from([Buffer.from('')]), { ...OPTIONS, funnels: [['a']] })).rejects.toThrow('funnels[0] is ["a"], must list two or more different event names');
    await expect(analyzeStream(Readable.from([Buffer.from('')]), { ...OPTIONS, funnels: [['a', 'a']] })).rejects.toThrow('must list two or more different event names');
  });
});
