import { describe, expect, it } from 'vitest';
import { Random } from '@bucketry/stats';
import { buildBalance } from './balance.js';
import { summarizeUnits } from './unit-summary.js';
import { UnitTable } from './unit-table.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 5, 2, 0);

/** `count` units first exposed evenly over `hours` hours from T0, half in each variant. */
function evenly(count: number, hours: number, intervalMs?: number) {
  const table = new UnitTable(0);
  const random = new Random(count);
  for (let i = 0; i < count; i++) table.expose(table.row(`u${i}`), random.next() < 0.5 ? 0 : 1, T0 + (i * hours * HOUR) / count);
  const summary = summarizeUnits(table, 2);
  return buildBalance(table, { variants: ['a', 'b'], weights: [1, 1], intervalMs, tolerancePoints: undefined, minUnits: undefined, from: summary.firstExposureMin, to: summary.firstExposureMax });
}

describe('the balance interval chosen from the data', () => {
  it('is the finest round width at which most units are in buckets that can be judged: 3 h for 20,000 units over two days', () => {
    // 417 units an hour: 2 h buckets hold 833 (< 900, none judged), 3 h buckets 1,250.
    const balance = evenly(20_000, 48);
    expect([balance.intervalMs, balance.intervalFrom, balance.minUnits]).toEqual([3 * HOUR, 'data', 900]);
    expect([balance.buckets.length, balance.judgedBuckets]).toEqual([16, 16]);
    expect(balance.buckets.every((b) => b.units[0]! + b.units[1]! >= 900)).toBe(true);
  });

  it('is a few buckets when no bucket could be judged at any width, not 48 hourly rows of "too few units"', () => {
    const balance = evenly(500, 48);
    expect([balance.intervalMs, balance.buckets.length, balance.judgedBuckets]).toEqual([6 * HOUR, 8, 0]);
  });

  it('is one minute when everything happened within it, and the interval asked for when there is one', () => {
    expect(evenly(2000, 0.01).intervalMs).toBe(60_000);
    const asked = evenly(20_000, 48, HOUR);
    expect([asked.intervalMs, asked.intervalFrom, asked.judgedBuckets]).toEqual([HOUR, 'option', 0]);
  });
});
