import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../policy/presets.js';
import { simulateExport } from '../simulate/simulate.js';
import { analyzeStream } from './analyze.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

// A/A exports as `bucketry simulate --users 20000 --rollout 50` writes them (and at 10%): no
// imbalance at all. With the old defaults (1 h buckets judged from 100 units) 6–27% of the judged
// buckets of such exports were flagged outside ±5 (±3) points. Judged from 900 units, a bucket is
// flagged by chance with the stated false-alarm rate α (0.24% at 50/50, 0.23% at 10/90, for a
// bucket of 900; less for larger ones): over J judged buckets, αJ ± √(αJ(1 − α)) flags, and the
// count must stay within 3 SD of that.
describe('exposure balance of simulated A/A exports', () => {
  it.each([
    [50, 'ramp-50', 1],
    [50, 'ramp-50', 2],
    [10, 'smoke-10', 1],
    [10, 'smoke-10', 2],
  ] as const)('at a rollout of %i (%s, seed %i), judges buckets of 900 units or more and flags them at the stated rate, where 1 h buckets of 100 units flagged many', async (rollout, policy, seed) => {
    const text = [...simulateExport({ users: 20_000, rollout, seed })].join('\n');
    const preset = PRESETS[policy]!;
    const options = { experiment: preset.experiment!, variants: preset.variants!, weights: preset.weights! };
    const report = await analyzeStream(Readable.from([Buffer.from(text)]), options);
    const balance = report.balance;
    expect([balance.intervalFrom, balance.minUnits]).toEqual(['data', 900]);
    expect(balance.falseAlarmRate!).toBeLessThan(0.003);
    const judged = balance.buckets.filter((b) => b.judged);
    expect(judged.length).toBe(balance.judgedBuckets);
    expect(judged.length).toBeGreaterThanOrEqual(4);
    expect(judged.every((b) => b.units.reduce((a, n) => a + n, 0) >= 900)).toBe(true);
    // Most units are in judged buckets: the interval was chosen for that.
    const judgedUnits = judged.reduce((sum, b) => sum + b.units.reduce((a, n) => a + n, 0), 0);
    expect(judgedUnits).toBeGreaterThanOrEqual(0.8 * 20_000);
    const alpha = balance.falseAlarmRate!;
    const allowed = alpha * judged.length + 3 * Math.sqrt(alpha * judged.length * (1 - alpha));
    expect(balance.flaggedBuckets).toBeLessThanOrEqual(allowed);

    const old = (await analyzeStream(Readable.from([Buffer.from(text)]), { ...options, intervalMs: 3_600_000, balanceMinUnits: 100 })).balance;
    expect(old.flaggedBuckets / old.judgedBuckets).toBeGreaterThan(0.05);
  });
});
