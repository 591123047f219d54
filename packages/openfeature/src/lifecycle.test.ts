import { createBucketry, type Bucketry } from '@bucketry/core';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { BucketryProvider } from './index.js';
import { newDomain } from './test-support/flags.js';

afterAll(() => OpenFeature.close());

describe('BucketryProvider: initialize', () => {
  it('announces READY once, through the SDK: a set that loads while it waits is no READY or CONFIGURATION_CHANGED of its own', async () => {
    const code = { key: 'new_checkout', variants: ['off', 'on'], rollout: 0, values: { off: false, on: true } };
    const bucketry = createBucketry({ experiments: [code] }) as unknown as Bucketry;
    // What a live source's start() does: the store's set comes into force while initialize waits.
    const ready = async (): Promise<void> => void bucketry.update([{ ...code, rollout: 100 }], 'store');
    const domain = newDomain();
    const events: string[] = [];
    for (const kind of [ProviderEvents.Ready, ProviderEvents.ConfigurationChanged, ProviderEvents.Stale, ProviderEvents.Error]) {
      OpenFeature.addHandler(kind, (details) => void (details?.domain === domain && events.push(kind)));
    }
    await OpenFeature.setProviderAndWait(domain, new BucketryProvider(bucketry, { ready, statusInterval: 10, onError: () => {} }));
    // Long enough for the status timer and any event queued behind the SDK's own.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await OpenFeature.getClient(domain).getBooleanValue('new_checkout', false, { targetingKey: 'user-1' })).toBe(true);
    expect(events).toEqual([ProviderEvents.Ready]);

    bucketry.update([{ ...code, rollout: 50 }], 'store'); // after READY, a new set is announced
    expect(events).toEqual([ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
  });
});
