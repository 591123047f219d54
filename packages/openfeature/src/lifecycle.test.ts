import { createBucketry } from '@bucketry/core';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { BucketryProvider } from './index.js';
import { newDomain } from './test-support/flags.js';

afterAll(() => OpenFeature.close());

describe('BucketryProvider: initialize', () => {
  it('announces READY once, through the SDK: a set that loads while it waits is no READY or CONFIGURATION_CHANGED of its own', async () => {
    const code = { key: 'new_checkout', variants: ['off', 'on'], rollout: 0, values: { off: false, on: true } };
    const bucketry = createBucketry({ experiments: [code] });
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

describe('BucketryProvider: onClose', () => {
  it('stops watching the client (no event from a new set, a stale source or its recovery), flushes the sink, and resolves PROVIDER_NOT_READY until initialized again', async () => {
    const experiments = [{ key: 'new_checkout', variants: ['off', 'on'], rollout: 10, values: { off: false, on: true } }];
    let flushes = 0;
    const bucketry = createBucketry({ experiments, sink: { write: () => {}, flush: async () => void flushes++ } });
    const provider = new BucketryProvider(bucketry, { statusInterval: 10, onError: () => {} });
    const events: string[] = [];
    for (const kind of [ProviderEvents.Ready, ProviderEvents.ConfigurationChanged, ProviderEvents.Stale]) provider.events.addHandler(kind, () => void events.push(kind));
    await provider.initialize();
    bucketry.update([{ ...experiments[0]!, rollout: 20 }], 'test');
    expect(events).toEqual([ProviderEvents.ConfigurationChanged]); // watching before the close

    await provider.onClose();
    expect(flushes).toBe(1);
    bucketry.update([{ ...experiments[0]!, rollout: 30 }], 'test'); // a new set: the listener is gone
    bucketry.reportSourceError('the store could not be read');
    bucketry.update([{ ...experiments[0]!, rollout: 30 }], 'test'); // the same set again: recovered, seen only by the timer
    await new Promise((resolve) => setTimeout(resolve, 100)); // ten status intervals
    expect(events).toEqual([ProviderEvents.ConfigurationChanged]);
    expect(await provider.resolveBooleanEvaluation('new_checkout', true, { targetingKey: 'user-1' })).toMatchObject({ value: true, errorCode: 'PROVIDER_NOT_READY' });

    await provider.initialize(); // registered again: it answers and watches again
    expect((await provider.resolveBooleanEvaluation('new_checkout', true, { targetingKey: 'user-1' })).errorCode).toBeUndefined();
    bucketry.update([{ ...experiments[0]!, rollout: 40 }], 'test');
    expect(events).toEqual([ProviderEvents.ConfigurationChanged, ProviderEvents.ConfigurationChanged]);
    await provider.onClose();
  });
});
