import { describe, expect, it } from 'vitest';
import { balanceTolerancePoints, buildBalance, type BalanceOptions } from './balance.js';
import { MAX_BUCKETS } from './balance-interval.js';
import { summarizeUnits } from './unit-summary.js';
import { UnitTable } from './unit-table.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 5, 2, 8);

/** Units first exposed in hour h from T0, `perHour[h][v]` of them in variant v; and the options buildReport would give. */
function balanceOf(perHour: number[][], extra: Partial<BalanceOptions> = {}) {
  const table = new UnitTable(0);
  let id = 0;
  perHour.forEach((counts, hour) =>
    counts.forEach((n, variant) => {
      for (let i = 0; i < n; i++) table.expose(table.row(`u${id++}`), variant, T0 + hour * HOUR + (i % 60) * 60_000);
    }),
  );
  const summary = summarizeUnits(table, 2);
  return buildBalance(table, {
    variants: ['tree', 'list'],
    weights: [90, 10],
    intervalMs: HOUR,
    tolerancePoints: undefined,
    minUnits: 100,
    from: summary.firstExposureMin,
    to: summary.firstExposureMax,
    ...extra,
  });
}

describe('buildBalance', () => {
  it('tolerates 10·√(w(1−w)) points by default: ±3 at a 90/10 split, ±5 at 50/50', () => {
    expect(balanceTolerancePoints(0.1)).toBeCloseTo(3, 12);
    expect(balanceTolerancePoints(0.5)).toBe(5);
    expect(balanceOf([[90, 10]]).tolerancePoints.map((t) => +t.toFixed(12))).toEqual([3, 3]);
  });

  it('flags a judged bucket with a share outside its tolerance, the edge itself inside, and judges none below minUnits', () => {
    // list at 10%, 14% (4 points off), 12%, exactly 13% (3 points: the edge), and 44% of only 90 units.
    const balance = balanceOf([[900, 100], [860, 140], [880, 120], [870, 130], [50, 40]]);
    expect(balance.buckets.map((b) => [b.units, b.judged, b.outOfTolerance])).toEqual([
      [[900, 100], true, []],
      [[860, 140], true, ['tree', 'list']],
      [[880, 120], true, []],
      [[870, 130], true, []],
      [[50, 40], false, []],
    ]);
    expect(balance.flaggedBuckets).toBe(1);
    expect(balance.buckets[1]!.shares).toEqual([0.86, 0.14]);
    // A wider tolerance flags nothing; a bucket with exactly minUnits is judged.
    expect(balanceOf([[900, 100], [860, 140]], { tolerancePoints: 5 }).flaggedBuckets).toBe(0);
    expect(balanceOf([[900, 100], [860, 140]], { minUnits: 1000 }).buckets.map((b) => b.judged)).toEqual([true, true]);
    expect(balanceOf([[900, 100], [860, 140]], { minUnits: 1001 }).buckets.map((b) => b.judged)).toEqual([false, false]);
  });

  it('widens the interval to a round one when the requested one gives more than 1,000 buckets, and keeps every unit', () => {
    // 48 hours and 8 minutes of units at a 1-minute interval would be 2,889 buckets: 5 minutes gives 578.
    const twoDays = balanceOf(Array.from({ length: 49 }, () => [9, 1]), { intervalMs: 60_000 });
    expect([twoDays.intervalMs, twoDays.requestedIntervalMs, twoDays.buckets.length]).toEqual([300_000, 60_000, 578]);
    expect(twoDays.buckets.reduce((sum, b) => sum + b.units[0]! + b.units[1]!, 0)).toBe(49 * 10);
    // Past the roundest width (a week), the span is split evenly.
    const table = new UnitTable(0);
    table.expose(table.row('first'), 0, T0);
    table.expose(table.row('last'), 1, T0 + 30 * 365 * 86_400_000);
    const decades = buildBalance(table, { variants: ['tree', 'list'], weights: [1, 1], intervalMs: HOUR, tolerancePoints: undefined, minUnits: 1, from: T0, to: T0 + 30 * 365 * 86_400_000 });
    expect(decades.buckets.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(decades.buckets.length).toBeGreaterThan(MAX_BUCKETS - 3);
    expect([decades.buckets[0]!.units, decades.buckets.at(-1)!.units]).toEqual([[1, 0], [0, 1]]);
    expect(balanceOf([[9, 1]]).requestedIntervalMs).toBeUndefined();
  });
});
