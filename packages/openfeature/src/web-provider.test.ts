import { assignVariant, createBucketry, defineExperiment, type Bucketry } from '@bucketry/core';
import { ErrorCode, OpenFeature, ProviderEvents, type EvaluationDetails, type FlagValue, type Hook } from '@openfeature/web-sdk';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BucketryWebProvider, type TrackEvent } from './web.js';
import { flagClient, newDomain, unitWith } from './test-support/flags.js';

afterAll(() => OpenFeature.close());

async function webOver(bucketry: Bucketry, context: Record<string, string> = {}, options: ConstructorParameters<typeof BucketryWebProvider>[1] = {}) {
  const domain = newDomain();
  await OpenFeature.setContext(domain, context);
  await OpenFeature.setProviderAndWait(domain, new BucketryWebProvider(bucketry, { onError: () => {}, ...options }));
  return OpenFeature.getClient(domain);
}

describe('BucketryWebProvider (the real @openfeature/web-sdk)', () => {
  it('resolves synchronously, every type, from the static context, with the reasons and metadata of the server provider', async () => {
    const { bucketry } = flagClient();
    const on = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'on');
    const client = await webOver(bucketry, { targetingKey: on.unit, region: 'us' });
    const details = client.getBooleanDetails('new_checkout', false); // a value, not a promise
    expect(details).toMatchObject({ value: true, variant: 'on', reason: 'SPLIT', flagMetadata: { experiment: 'new_checkout', bucket: on.bucket } });
    const layout = bucketry.peek('skill_tree_layout', on.unit);
    expect(client.getObjectValue('skill_tree_layout', {})).toEqual(layout.value);
    expect(client.getNumberValue('price_tier', 0)).toBe(bucketry.peek('price_tier', on.unit).value);
    expect(client.getStringValue('banner_copy', 'x')).toBe(bucketry.peek('banner_copy', on.unit).variant);
    expect(client.getBooleanDetails('killed', true)).toMatchObject({ value: false, reason: 'DISABLED' });
    expect(client.getBooleanDetails('eu_only', true)).toMatchObject({ value: false, reason: 'DEFAULT' }); // region us
    expect(client.getStringDetails('new_checkout', 'd')).toMatchObject({ value: 'd', errorCode: ErrorCode.TYPE_MISMATCH });
    expect(client.getStringDetails('nope', 'd')).toMatchObject({ value: 'd', errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it('a new context decides again: a QA unit gets its override, a context without a unit TARGETING_KEY_MISSING', async () => {
    const { bucketry, sink } = flagClient();
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, new BucketryWebProvider(bucketry, { onError: () => {} }), { targetingKey: 'qa-1' });
    const client = OpenFeature.getClient(domain);
    const changed: string[] = [];
    client.addHandler(ProviderEvents.ContextChanged, () => void changed.push('context'));
    expect(client.getBooleanDetails('new_checkout', false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });

    const off = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'off');
    await OpenFeature.setContext(domain, { targetingKey: off.unit });
    expect(changed).toEqual(['context']);
    expect(client.getBooleanDetails('new_checkout', true)).toMatchObject({ value: false, variant: 'off', reason: 'SPLIT' });
    expect(sink.events.map((e) => [e.unit, e.variant])).toEqual([[off.unit, 'off']]); // the override was not exposed

    await OpenFeature.setContext(domain, {});
    expect(client.getBooleanDetails('new_checkout', true)).toMatchObject({ value: true, errorCode: ErrorCode.TARGETING_KEY_MISSING });
  });

  it('hooks see the details; exposures once per unit and variant, none after a failing after hook', async () => {
    const { bucketry, sink } = flagClient();
    const unit = unitWith(bucketry, 'price_tier', 'bucketed', {}, 'discount');
    const client = await webOver(bucketry, { targetingKey: unit.unit });
    const seen: string[] = [];
    const hook: Hook = {
      before: (context) => void seen.push(`before ${context.flagKey} ${context.flagValueType}`),
      after: (_, details: EvaluationDetails<FlagValue>) => void seen.push(`after ${String(details.value)} ${details.reason}`),
      error: (_, error) => void seen.push(`error ${(error as { code: string }).code}`),
      finally: (_, details: EvaluationDetails<FlagValue>) => void seen.push(`finally ${String(details.value)}`),
    };
    const failing: Hook = { after: () => { throw new Error('after hook failed'); } };
    expect(client.getNumberValue('price_tier', -1, { hooks: [failing] })).toBe(-1);
    expect(sink.events).toEqual([]);
    client.addHooks(hook);
    expect(client.getNumberValue('price_tier', -1)).toBe(8);
    expect(client.getNumberValue('price_tier', -1)).toBe(8);
    expect(client.getBooleanValue('price_tier', false)).toBe(false);
    expect(seen).toEqual([
      'before price_tier number', 'after 8 SPLIT', 'finally 8',
      'before price_tier number', 'after 8 SPLIT', 'finally 8',
      'before price_tier boolean', `error ${ErrorCode.TYPE_MISMATCH}`, 'finally false',
    ]);
    expect(sink.events.map((e) => [e.experiment, e.unit, e.variant])).toEqual([['price_tier', unit.unit, 'discount']]);
  });

  it('emits the client’s changes as the web SDK’s events: configuration changed, stale, ready', async () => {
    const experiments = [{ key: 'banner_copy', variants: ['plain', 'bold'], rollout: 10 }];
    const bucketry = createBucketry({ experiments });
    const client = await webOver(bucketry, { targetingKey: 'user-1' }, { statusInterval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const events: [string, unknown][] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => void events.push(['changed', details?.flagsChanged]));
    client.addHandler(ProviderEvents.Stale, (details) => void events.push(['stale', details?.message]));
    client.addHandler(ProviderEvents.Ready, () => void events.push(['ready', undefined]));
    events.length = 0;
    bucketry.update([{ ...experiments[0]!, rollout: 90 }], 'test');
    bucketry.reportSourceError('the collector could not be reached');
    client.getStringValue('banner_copy', 'plain'); // an evaluation looks at the status too
    expect(events).toEqual([['changed', ['banner_copy']], ['stale', 'the collector could not be reached']]);
    expect(client.providerStatus).toBe('STALE');
    bucketry.update([{ ...experiments[0]!, rollout: 90 }], 'test');
    client.getStringValue('banner_copy', 'plain');
    expect(events.at(-1)).toEqual(['ready', undefined]);
    expect(client.providerStatus).toBe('READY');
  });

  it('the same unit gets the same variant through OpenFeature as through assignVariant (property)', async () => {
    const experiment = defineExperiment({ key: 'prop', variants: ['a', 'b', 'c'], weights: [1, 2, 3], rollout: 70, traffic: 90, values: { a: 'A', b: 'B', c: 'C' } });
    const bucketry = createBucketry({ experiments: [experiment] });
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, new BucketryWebProvider(bucketry, { onError: () => {} }));
    const client = OpenFeature.getClient(domain);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, unit: 'binary' }), async (unit) => {
        await OpenFeature.setContext(domain, { targetingKey: unit });
        const expected = assignVariant(experiment, unit);
        const details = client.getStringDetails('prop', 'default');
        expect(details.variant).toBe(expected.variant);
        expect(details.value).toBe(expected.value);
        expect(details.flagMetadata.bucket).toBe(expected.bucket);
      }),
      { numRuns: 500 },
    );
  });

  it('track() writes its event on a page served over plain http, where crypto.randomUUID is missing', async () => {
    const tracked: TrackEvent[] = [];
    const errors: unknown[] = [];
    const client = await webOver(createBucketry({ experiments: [{ key: 'banner_copy', variants: ['plain', 'bold'] }] }), { targetingKey: 'user-1' }, {
      onTrack: (event) => void tracked.push(event),
      onError: (error) => void errors.push(error),
    });
    vi.stubGlobal('crypto', { getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) }); // a non-secure context's crypto
    try {
      client.track('purchase', { value: 12.5 });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(errors).toEqual([]);
    expect(tracked).toEqual([expect.objectContaining({ event: 'purchase', userId: 'user-1', messageId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) })]);
  });
});
