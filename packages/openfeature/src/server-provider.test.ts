import { defineExperiment, createBucketry, createMemorySink, createMemoryStickyStore, type Bucketry } from '@bucketry/core';
import { ErrorCode, OpenFeature, ProviderEvents, StandardResolutionReasons, type EvaluationDetails, type FlagValue, type Hook } from '@openfeature/server-sdk';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BucketryProvider } from './index.js';
import { flagClient, newDomain, unitWith } from './test-support/flags.js';

afterAll(() => OpenFeature.close());

async function openFeatureOver(bucketry: Bucketry, options: ConstructorParameters<typeof BucketryProvider>[1] = {}) {
  const domain = newDomain();
  const provider = new BucketryProvider(bucketry, { onError: () => {}, ...options });
  await OpenFeature.setProviderAndWait(domain, provider);
  return { client: OpenFeature.getClient(domain), provider };
}

describe('BucketryProvider: every resolver and type', () => {
  it('boolean, string, number and object flags resolve to the variant’s value with the variant, SPLIT and the metadata', async () => {
    const { bucketry } = flagClient();
    const { client } = await openFeatureOver(bucketry);
    const on = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'on');
    const expected = (key: string, unit: string) => bucketry.peek(key, unit);

    const boolean = await client.getBooleanDetails('new_checkout', false, { targetingKey: on.unit });
    expect(boolean).toMatchObject({ value: true, variant: 'on', reason: StandardResolutionReasons.SPLIT });
    expect(boolean.errorCode).toBeUndefined();
    expect(boolean.flagMetadata).toEqual({ experiment: 'new_checkout', bucket: on.bucket, configVersion: bucketry.experiment('new_checkout').version });

    const list = unitWith(bucketry, 'skill_tree_layout', 'bucketed', {}, 'list');
    expect(await client.getObjectDetails('skill_tree_layout', {}, { targetingKey: list.unit })).toMatchObject({ value: { layout: 'list', columns: 1 }, variant: 'list', reason: 'SPLIT' });

    const discount = unitWith(bucketry, 'price_tier', 'bucketed', {}, 'discount');
    expect(await client.getNumberDetails('price_tier', 0, { targetingKey: discount.unit })).toMatchObject({ value: 8, variant: 'discount' });
    const standard = unitWith(bucketry, 'price_tier', 'bucketed', {}, 'standard');
    expect(await client.getNumberValue('price_tier', 0, { targetingKey: standard.unit })).toBe(10);

    // An experiment without values: the variant's name is its string value.
    for (const unit of ['user-1', 'user-2', 'user-3', 'user-4']) {
      expect(await client.getStringValue('banner_copy', 'fallback', { targetingKey: unit })).toBe(expected('banner_copy', unit).variant);
    }
  });

  it('maps every reason: SPLIT (bucketed, sticky), TARGETING_MATCH, DISABLED, DEFAULT (ineligible, traffic, holdout, layer)', async () => {
    const sticky = createMemoryStickyStore();
    const { bucketry } = flagClient({ sticky });
    const { client } = await openFeatureOver(bucketry);
    const reasonOf = async (key: string, unit: string, context: Record<string, string> = {}) =>
      (await client.getBooleanDetails(key, false, { targetingKey: unit, ...context })).reason;

    expect(await reasonOf('new_checkout', unitWith(bucketry, 'new_checkout', 'bucketed').unit)).toBe('SPLIT');
    expect(await reasonOf('new_checkout', 'qa-1')).toBe('TARGETING_MATCH');
    expect(await client.getBooleanDetails('new_checkout', false, { targetingKey: 'qa-1' })).toMatchObject({ value: true, variant: 'on' });
    expect(await reasonOf('killed', 'user-1')).toBe('DISABLED');
    expect(await reasonOf('eu_only', 'user-1', { region: 'us' })).toBe('DEFAULT');
    expect(await reasonOf('eu_only', unitWith(bucketry, 'eu_only', 'bucketed', { region: 'eu' }).unit, { region: 'eu' })).toBe('SPLIT');
    expect(await reasonOf('small_traffic', unitWith(bucketry, 'small_traffic', 'traffic').unit)).toBe('DEFAULT');
    expect(await reasonOf('held_out', unitWith(bucketry, 'held_out', 'holdout').unit)).toBe('DEFAULT');
    expect(await reasonOf('layered', unitWith(bucketry, 'layered', 'layer').unit)).toBe('DEFAULT');

    // A sticky record from an earlier assignment: Bucketry's reason is `sticky`, OpenFeature's SPLIT.
    const unit = 'sticky-user';
    bucketry.assign('new_checkout', unit);
    expect(bucketry.peek('new_checkout', unit).reason).toBe('sticky');
    expect(await reasonOf('new_checkout', unit)).toBe('SPLIT');
  });

  it('a compound unit from the unit option, with the other context fields as eligibility attributes', async () => {
    const { bucketry } = flagClient();
    const { client } = await openFeatureOver(bucketry, { unit: (context) => ({ tenantId: String(context.tenantId), userId: String(context.targetingKey) }) });
    for (const userId of ['1', '2', '3', '4', '5', '6']) {
      const expected = bucketry.peek('eu_only', { tenantId: 'acme', userId }, { region: 'eu', tenantId: 'acme' });
      const details = await client.getBooleanDetails('eu_only', false, { targetingKey: userId, tenantId: 'acme', region: 'eu' });
      expect(details).toMatchObject({ value: expected.value, variant: expected.variant, flagMetadata: { bucket: expected.bucket } });
    }
  });
});

describe('BucketryProvider: errors are the caller’s default, never a throw', () => {
  it('FLAG_NOT_FOUND, TYPE_MISMATCH, TARGETING_KEY_MISSING, PARSE_ERROR', async () => {
    const throwing = defineExperiment({ key: 'throws', variants: ['off', 'on'], values: { off: false, on: true }, eligibility: () => { throw new Error('predicate broke'); } });
    const bucketry = createBucketry({ experiments: [throwing, { key: 'banner_copy', variants: ['plain', 'bold'] }], onError: () => {} });
    const { client } = await openFeatureOver(bucketry);

    expect(await client.getBooleanDetails('no_such_flag', true, { targetingKey: 'u' })).toMatchObject({
      value: true, reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND, errorMessage: expect.stringContaining('"no_such_flag"'),
    });
    expect(await client.getNumberDetails('banner_copy', 7, { targetingKey: 'u' })).toMatchObject({
      value: 7, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: expect.stringMatching(/asked for as number, but variant "(plain|bold)"/),
    });
    expect(await client.getStringDetails('banner_copy', 'dflt', {})).toMatchObject({ value: 'dflt', errorCode: ErrorCode.TARGETING_KEY_MISSING });
    expect(await client.getStringDetails('banner_copy', 'dflt', { targetingKey: '' })).toMatchObject({ errorCode: ErrorCode.TARGETING_KEY_MISSING });
    expect(await client.getBooleanDetails('throws', false, { targetingKey: 'u' })).toMatchObject({
      value: false, errorCode: ErrorCode.PARSE_ERROR, errorMessage: expect.stringContaining('predicate broke'),
    });

    const broken = await openFeatureOver(bucketry, { unit: () => { throw new Error('no tenant'); } });
    expect(await broken.client.getStringDetails('banner_copy', 'dflt', { targetingKey: 'u' })).toMatchObject({ value: 'dflt', errorCode: ErrorCode.PARSE_ERROR, errorMessage: expect.stringContaining('no tenant') });
  });

  it('PROVIDER_NOT_READY when initialize found no configuration', async () => {
    const { bucketry } = flagClient();
    const domain = newDomain();
    const provider = new BucketryProvider(bucketry, { ready: new Promise(() => {}), readyTimeout: 100, onError: () => {} });
    await expect(OpenFeature.setProviderAndWait(domain, provider)).rejects.toThrow(/no configuration came within 100 ms/);
    const details = await OpenFeature.getClient(domain).getBooleanDetails('new_checkout', true, { targetingKey: 'user-1' });
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.PROVIDER_NOT_READY });

    const throwing = new BucketryProvider(bucketry, { ready: () => { throw new Error('no credentials for the store'); }, onError: () => {} });
    await expect(OpenFeature.setProviderAndWait(newDomain(), throwing)).rejects.toThrow('Bucketry provider: ready failed (no credentials for the store)');
  });

  it('an object flag asked for as boolean, and a boolean as object, are TYPE_MISMATCH', async () => {
    const { bucketry } = flagClient();
    const { client } = await openFeatureOver(bucketry);
    expect(await client.getBooleanDetails('skill_tree_layout', false, { targetingKey: 'u' })).toMatchObject({ value: false, errorCode: ErrorCode.TYPE_MISMATCH });
    expect(await client.getObjectDetails('new_checkout', { x: 1 }, { targetingKey: 'u' })).toMatchObject({ value: { x: 1 }, errorCode: ErrorCode.TYPE_MISMATCH });
    expect(await client.getStringDetails('price_tier', 's', { targetingKey: 'u' })).toMatchObject({ value: 's', errorCode: ErrorCode.TYPE_MISMATCH });
  });
});

describe('BucketryProvider: exposures', () => {
  it('once per unit and variant through the client’s sink, only for units in the experiment, only what was returned', async () => {
    const { bucketry, sink } = flagClient();
    const { client } = await openFeatureOver(bucketry);
    const inIt = unitWith(bucketry, 'new_checkout', 'bucketed');
    for (let i = 0; i < 3; i++) await client.getBooleanValue('new_checkout', false, { targetingKey: inIt.unit });
    await client.getBooleanValue('killed', false, { targetingKey: inIt.unit }); // disabled: not in the experiment
    await client.getBooleanValue('eu_only', false, { targetingKey: inIt.unit, region: 'us' }); // ineligible
    await client.getNumberValue('new_checkout', 0, { targetingKey: 'user-mismatch' }); // TYPE_MISMATCH: default, no exposure
    await client.getBooleanValue('new_checkout', false, { targetingKey: 'qa-1' }); // an override is never exposed
    expect(sink.events.map((e) => [e.experiment, e.unit, e.variant, e.reason, e.bucket])).toEqual([['new_checkout', inIt.unit, inIt.variant, 'bucketed', inIt.bucket]]);

    // An after hook that throws: the SDK returns the default, so nothing was shown and nothing is exposed.
    const failing: Hook = { after: () => { throw new Error('after hook failed'); } };
    const other = unitWith(bucketry, 'price_tier', 'bucketed');
    const details = await client.getNumberDetails('price_tier', -1, { targetingKey: other.unit }, { hooks: [failing] });
    expect(details).toMatchObject({ value: -1, reason: 'ERROR' });
    expect(sink.events).toHaveLength(1);
    await client.getNumberValue('price_tier', -1, { targetingKey: other.unit });
    expect(sink.events.map((e) => [e.experiment, e.unit])).toEqual([['new_checkout', inIt.unit], ['price_tier', other.unit]]);
  });

  it('a before hook’s context is the one decided on and exposed', async () => {
    const { bucketry, sink } = flagClient();
    const { client } = await openFeatureOver(bucketry);
    const eu = unitWith(bucketry, 'eu_only', 'bucketed', { region: 'eu' });
    const addRegion: Hook = { before: () => ({ region: 'eu' }) };
    const details = await client.getBooleanDetails('eu_only', false, { targetingKey: eu.unit, region: 'us' }, { hooks: [addRegion] });
    expect(details).toMatchObject({ variant: eu.variant, reason: 'SPLIT' });
    expect(sink.events.map((e) => [e.experiment, e.unit, e.variant])).toEqual([['eu_only', eu.unit, eu.variant]]);
  });
});

describe('BucketryProvider: hooks see the right details', () => {
  it('before, after and finally on a success; before, error and finally on an error', async () => {
    const { bucketry } = flagClient();
    const { client } = await openFeatureOver(bucketry);
    const seen: [string, unknown][] = [];
    const hook: Hook = {
      before: (context) => void seen.push(['before', { flagKey: context.flagKey, type: context.flagValueType, provider: context.providerMetadata.name, unit: context.context.targetingKey }]),
      after: (_, details: EvaluationDetails<FlagValue>) => void seen.push(['after', { value: details.value, variant: details.variant, reason: details.reason, experiment: details.flagMetadata.experiment }]),
      error: (_, error) => void seen.push(['error', (error as { code?: string }).code]),
      finally: (_, details: EvaluationDetails<FlagValue>) => void seen.push(['finally', { value: details.value, errorCode: details.errorCode }]),
    };
    client.addHooks(hook);
    const unit = unitWith(bucketry, 'new_checkout', 'bucketed', {}, 'on');
    await client.getBooleanValue('new_checkout', false, { targetingKey: unit.unit });
    expect(seen).toEqual([
      ['before', { flagKey: 'new_checkout', type: 'boolean', provider: 'bucketry', unit: unit.unit }],
      ['after', { value: true, variant: 'on', reason: 'SPLIT', experiment: 'new_checkout' }],
      ['finally', { value: true, errorCode: undefined }],
    ]);
    seen.length = 0;
    await client.getStringValue('price_tier', 'x', { targetingKey: unit.unit });
    expect(seen).toEqual([
      ['before', { flagKey: 'price_tier', type: 'string', provider: 'bucketry', unit: unit.unit }],
      ['error', ErrorCode.TYPE_MISMATCH],
      ['finally', { value: 'x', errorCode: ErrorCode.TYPE_MISMATCH }],
    ]);
  });
});

describe('BucketryProvider: events from the client', () => {
  it('a new set is PROVIDER_CONFIGURATION_CHANGED naming the changed flags; a stale source PROVIDER_STALE; the next update READY', async () => {
    const experiments = [
      { key: 'new_checkout', variants: ['off', 'on'], rollout: 10, values: { off: false, on: true } },
      { key: 'banner_copy', variants: ['plain', 'bold'], rollout: 50 },
    ];
    const bucketry = createBucketry({ experiments, sink: createMemorySink() });
    const reported: [unknown, unknown][] = [];
    const { client } = await openFeatureOver(bucketry, { statusInterval: 20, onError: (error, context) => void reported.push([error, context]) });
    const events: [string, unknown][] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (details) => void events.push(['changed', details?.flagsChanged]));
    client.addHandler(ProviderEvents.Stale, (details) => void events.push(['stale', details?.message]));
    client.addHandler(ProviderEvents.Ready, () => void events.push(['ready', undefined]));
    await new Promise((resolve) => setTimeout(resolve, 50));
    events.length = 0; // addHandler on a ready provider runs the READY handler at once

    bucketry.update([{ ...experiments[0]!, rollout: 60 }, experiments[1]!], 'test');
    expect(events).toEqual([['changed', ['new_checkout']]]);

    bucketry.reportSourceError('the store could not be read');
    await vi.waitFor(() => expect(events).toHaveLength(2), { timeout: 30_000, interval: 10 });
    expect(events[1]).toEqual(['stale', 'the store could not be read']);
    expect(client.providerStatus).toBe('STALE');
    bucketry.reportSourceError('the store could not be read', new Error('connection refused')); // still stale: no second report, no second event
    expect((await client.getBooleanDetails('new_checkout', false, { targetingKey: 'u' })).reason).toBe('SPLIT'); // the last good set still serves
    expect(reported).toEqual([[new Error('the store could not be read'), { source: 'status' }]]);
    expect(events).toHaveLength(2);

    bucketry.update([{ ...experiments[0]!, rollout: 60 }, experiments[1]!], 'test'); // same set: no change event, but fresh again
    await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: 30_000, interval: 10 });
    expect(events[2]).toEqual(['ready', undefined]);
    expect(client.providerStatus).toBe('READY');
  });
});

describe('BucketryProvider: options', () => {
  it('refuses what it cannot work with at construction, naming the field, the value and the rule', () => {
    const { bucketry } = flagClient();
    const make = (options: unknown, client: unknown = bucketry) => () => new BucketryProvider(client as Bucketry, options as never);
    expect(make({}, { assign: () => {} })).toThrow('@bucketry/openfeature: client must be a client from createBucketry, got an object');
    expect(make(null)).toThrow('@bucketry/openfeature: options must be an object, got null');
    expect(make({ unit: 'tenantId' })).toThrow('@bucketry/openfeature: unit must be a function when given, got "tenantId"');
    expect(make({ onTrack: {} })).toThrow('onTrack must be a function when given');
    expect(make({ ready: 42 })).toThrow('ready must be a promise or a function returning one, e.g. () => source.start(), got 42');
    expect(make({ readyTimeout: 0 })).toThrow('readyTimeout must be a number of milliseconds above 0 and at most 2147483647, got 0');
    expect(make({ statusInterval: Number.NaN })).toThrow('statusInterval must be a number of milliseconds above 0 and at most 2147483647, got NaN');
    expect(make({ ready: Promise.resolve(), readyTimeout: 5, statusInterval: 100, unit: () => 'u', onTrack: () => {}, onError: () => {} })).not.toThrow();
  });
});
