import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createBucketry, type ExposureEvent } from '@bucketry/core';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { BucketryProvider, type ProviderErrorContext, type TrackEvent } from './index.js';
import { newDomain } from './test-support/flags.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-openfeature-track-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await OpenFeature.close();
});
const bucketryBin = fileURLToPath(new URL('../../analyze/bin/bucketry.js', import.meta.url));

describe('track()', () => {
  it('writes Segment track events that bucketry analyze counts as the metric, beside the provider’s exposures', async () => {
    // One export, in the order things happen: exposures from the sink, metric events from onTrack.
    const lines: string[] = [];
    const bucketry = createBucketry({
      experiments: [{ key: 'new_checkout', variants: ['off', 'on'], rollout: 50, values: { off: false, on: true } }],
      sink: { write: (event: ExposureEvent) => void lines.push(JSON.stringify(event)) },
      dedupe: false, // every evaluation exposes: analyze must count units, not exposures
    });
    const tracked: TrackEvent[] = [];
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, new BucketryProvider(bucketry, { onTrack: (event) => (tracked.push(event), lines.push(JSON.stringify(event))) }));
    const client = OpenFeature.getClient(domain);

    const purchasers = new Map<string, number>([['off', 0], ['on', 0]]);
    const units = new Map<string, number>([['off', 0], ['on', 0]]);
    for (let n = 0; n < 300; n++) {
      const context = { targetingKey: `user-${n}` };
      const details = await client.getBooleanDetails('new_checkout', false, context);
      await client.getBooleanDetails('new_checkout', false, context); // a second look: no second unit
      units.set(details.variant!, units.get(details.variant!)! + 1);
      if (n % 4 === 0 || (details.value && n % 4 === 1)) {
        client.track('purchase', context, { value: 12.5, currency: 'EUR' });
        purchasers.set(details.variant!, purchasers.get(details.variant!)! + 1);
      }
    }
    expect(tracked[0]).toEqual({
      type: 'track', event: 'purchase', userId: 'user-0', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/), properties: { value: 12.5, currency: 'EUR' },
    });
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const { stdout } = await promisify(execFile)(process.execPath, [
      bucketryBin, 'analyze', file, '--experiment', 'new_checkout', '--expected-variant', 'off', '--expected-variant', 'on',
      '--metric', 'purchase', '--value', 'purchase.value', '--format', 'json',
    ], { timeout: 120_000 });
    const report = JSON.parse(stdout) as {
      input: { flavors: Record<string, number>; badLines: { count: number }; unattributedValues: number };
      metrics: { name: string; variants: { name: string; units: number; conversions: number }[] }[];
      values: { variants: { name: string; units: number; unitsWithValues: number; sumPerUnit: { mean: number } }[] }[];
    };
    expect(report.input.flavors.segment).toBe(tracked.length);
    expect(report.input.badLines.count).toBe(0);
    expect(report.input.unattributedValues).toBe(0);
    const purchase = report.metrics.find((metric) => metric.name === 'purchase')!;
    expect(purchase.variants.map(({ name, units: n, conversions }) => [name, n, conversions])).toEqual(
      ['off', 'on'].map((variant) => [variant, units.get(variant), purchasers.get(variant)]),
    );
    for (const variant of report.values[0]!.variants) {
      expect(variant.unitsWithValues).toBe(purchasers.get(variant.name));
      expect(variant.sumPerUnit.mean * variant.units).toBeCloseTo(purchasers.get(variant.name)! * 12.5, 9);
    }
  });

  it('a call without a unit, without a name, or without a writer, is dropped and reported, never thrown', async () => {
    const bucketry = createBucketry({ experiments: [{ key: 'banner_copy', variants: ['plain', 'bold'] }] });
    const errors: [string, ProviderErrorContext][] = [];
    const tracked: TrackEvent[] = [];
    const onError = (error: unknown, context: ProviderErrorContext) => void errors.push([String(error), context]);
    const withWriter = newDomain();
    await OpenFeature.setProviderAndWait(withWriter, new BucketryProvider(bucketry, { onTrack: (event) => void tracked.push(event), onError }));
    OpenFeature.getClient(withWriter).track('purchase', {}, { value: 1 });
    OpenFeature.getClient(withWriter).track('', { targetingKey: 'user-1' });
    const withoutWriter = newDomain();
    await OpenFeature.setProviderAndWait(withoutWriter, new BucketryProvider(bucketry, { onError }));
    OpenFeature.getClient(withoutWriter).track('signup', { targetingKey: 'user-1' });
    expect(tracked).toEqual([]);
    expect(errors).toEqual([
      [expect.stringContaining('track: event "purchase" needs a unit'), { source: 'track', event: 'purchase' }],
      ['TypeError: track: trackingEventName must be a non-empty string, got ""', { source: 'track', event: '' }],
      [expect.stringContaining('track: event "signup" was dropped: the provider has no onTrack writer'), { source: 'track', event: 'signup' }],
    ]);
  });

  it('a writer that throws is reported; an onError that throws too is not rethrown', () => {
    const bucketry = createBucketry({ experiments: [{ key: 'banner_copy', variants: ['plain', 'bold'] }] });
    const errors: [string, ProviderErrorContext][] = [];
    const writerThrows = new BucketryProvider(bucketry, { onTrack: () => { throw new Error('disk full'); }, onError: (error, context) => void errors.push([String(error), context]) });
    writerThrows.track('refund', { targetingKey: 'user-1' }, {});
    expect(errors).toEqual([['Error: disk full', { source: 'track', event: 'refund' }]]);
    // Called on the provider: the SDK's own track() swallows what a provider throws.
    const bothThrow = new BucketryProvider(bucketry, { onTrack: () => { throw new Error('disk full'); }, onError: () => { throw new Error('logger down'); } });
    expect(() => bothThrow.track('refund', { targetingKey: 'user-1' }, {})).not.toThrow();
  });
});
