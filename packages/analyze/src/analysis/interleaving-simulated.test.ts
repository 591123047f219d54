import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { simulateInterleavingExport, type InterleavingSimulateOptions } from '../simulate/interleaving.js';
import { analyzeInterleaving } from './interleaving.js';

useSlowTestTimeouts();

/** Simulates an export and analyses it, as `bucketry simulate --interleaving | bucketry analyze --interleaving` would. */
async function simulatedReport(options: InterleavingSimulateOptions) {
  const lines = [...simulateInterleavingExport(options)];
  const report = await analyzeInterleaving(Readable.from([Buffer.from(lines.join('\n') + '\n')]), { experiment: options.experiment ?? 'skill_order' });
  return { lines, report };
}

describe('interleaving on simulated exports with a known preference', () => {
  it('recovers a true 55/45 preference from 50,000 impressions: the interval covers 0.55 and excludes 0.5', async () => {
    const { report } = await simulatedReport({ impressions: 50_000, preference: 0.55, seed: 16 });
    expect(report.impressions.total).toBe(50_000);
    expect(report.input.badLines.count).toBe(0);
    const { low, high } = report.preference!.interval!;
    expect(low).toBeLessThan(0.55);
    expect(high).toBeGreaterThan(0.55);
    expect(low).toBeGreaterThan(0.5);
    expect(report.verdict).toBe('B');
  });

  it('an A/A run at 0.5: the interval covers 0.5 and neither ranker is preferred', async () => {
    const { report } = await simulatedReport({ impressions: 50_000, preference: 0.5, seed: 17 });
    const { low, high } = report.preference!.interval!;
    expect(low).toBeLessThan(0.5);
    expect(high).toBeGreaterThan(0.5);
    expect(report.verdict).toBe('none');
  });

  it('writes team-draft lists (at every prefix the teams differ by at most one pick) and clicks only on shown items, in Amplitude form too', async () => {
    const { lines, report } = await simulatedReport({ impressions: 2_000, preference: 0.7, seed: 3, format: 'amplitude' });
    const exposures = lines.map((line) => JSON.parse(line)).filter((event) => event.event_type === 'experiment_exposure');
    expect(exposures).toHaveLength(2_000);
    for (const exposure of exposures) {
      const { items, teams } = exposure.event_properties.interleaving as { items: string[]; teams: string[] };
      expect(new Set(items).size).toBe(items.length);
      let lead = 0;
      for (const team of teams) {
        lead += team === 'A' ? 1 : -1;
        expect(Math.abs(lead)).toBeLessThanOrEqual(1);
      }
    }
    expect(report.impressions.byMethod).toEqual({ 'team-draft': 2_000 });
    expect(report.clicks).toMatchObject({ onItemsNotShown: 0, withoutExposure: 0, duplicates: 0, uncredited: 0 });
    expect(report.impressionShare!).toBeGreaterThan(0.65);
  });

  it('writes balanced lists when asked', async () => {
    const { report } = await simulatedReport({ impressions: 500, preference: 0.5, seed: 4, method: 'balanced' });
    expect(report.impressions.byMethod).toEqual({ balanced: 500 });
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const first = [...simulateInterleavingExport({ impressions: 300, preference: 0.55, seed: 5 })];
    expect([...simulateInterleavingExport({ impressions: 300, preference: 0.55, seed: 5 })]).toEqual(first);
    expect([...simulateInterleavingExport({ impressions: 300, preference: 0.55, seed: 6 })]).not.toEqual(first);
  });
});
