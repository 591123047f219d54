import { mkdtempSync, rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucketry, type ExperimentJSON } from '@bucketry/core';
import { createFileStore, createStoreSource, lastKnownGoodFile, setRollout, type LiveSource } from '@bucketry/live';
import { ErrorCode, OpenFeature, ProviderEvents, type Client } from '@openfeature/server-sdk';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { BucketryProvider } from './index.js';
import { newDomain } from './test-support/flags.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-openfeature-live-'));
const sources: LiveSource[] = [];
afterEach(async () => void (await Promise.all(sources.splice(0).map((source) => source.close()))));
afterAll(async () => {
  await OpenFeature.close();
  rmSync(dir, { recursive: true, force: true });
});

// In code at 0%: any treatment the provider returns came from the store.
const BASE: ExperimentJSON[] = [{ key: 'new_checkout', variants: ['off', 'on'], rollout: 0, values: { off: false, on: true } }, { key: 'banner_copy', variants: ['plain', 'bold'] }];
const record = (rollout: number, version: number) => ({ rollout, enabled: true, version, updatedAt: '2026-12-08T09:30:00.000Z', actor: 'ana', phase: null, reason: null });
const byRename = async (path: string, content: string): Promise<void> => {
  await writeFile(`${path}.tmp`, content);
  await rename(`${path}.tmp`, path);
};

function liveProvider(path: string, extra: { bootstrap?: string } = {}) {
  const bucketry = createBucketry({ experiments: BASE });
  const source = createStoreSource(bucketry, createFileStore({ path }), {
    base: BASE, pollInterval: 600_000, retryDelay: 50, onError: () => {}, ...(extra.bootstrap ? { bootstrap: lastKnownGoodFile(extra.bootstrap) } : {}),
  });
  sources.push(source);
  const provider = new BucketryProvider(bucketry, { ready: () => source.start(), readyTimeout: 60_000, statusInterval: 20, onError: () => {} });
  return { bucketry, provider };
}

function eventsOf(client: Client): [string, unknown][] {
  const events: [string, unknown][] = [];
  client.addHandler(ProviderEvents.ConfigurationChanged, (details) => void events.push(['changed', details?.flagsChanged]));
  client.addHandler(ProviderEvents.Stale, (details) => void events.push(['stale', details?.message]));
  client.addHandler(ProviderEvents.Ready, () => void events.push(['ready', undefined]));
  client.addHandler(ProviderEvents.Error, (details) => void events.push(['error', details?.message]));
  return events;
}

// vi.waitFor's options: generous, so a loaded machine only waits longer.
const EVENTUALLY = { timeout: 60_000, interval: 20 };
const kinds = (events: [string, unknown][]): string[] => events.map(([kind]) => kind);

describe('BucketryProvider with a live file source', () => {
  it('initialize waits for the source; a pushed rollout is CONFIGURATION_CHANGED; bad content STALE; the fix READY', async () => {
    const path = join(dir, 'rollouts.json');
    await byRename(path, JSON.stringify({ rollouts: { new_checkout: record(100, 1) } }));
    const { bucketry, provider } = liveProvider(path);
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, provider);
    const client = OpenFeature.getClient(domain);
    expect(await client.getBooleanValue('new_checkout', false, { targetingKey: 'user-1' })).toBe(true); // 100% from the store, not 0% from code
    await new Promise((resolve) => setTimeout(resolve, 50));
    const events = eventsOf(client);
    events.length = 0;

    await byRename(path, JSON.stringify({ rollouts: { new_checkout: record(0, 2) } }));
    await vi.waitFor(() => expect(events).not.toHaveLength(0), EVENTUALLY); // the configuration change
    expect(events).toEqual([['changed', ['new_checkout']]]);
    expect(await client.getBooleanDetails('new_checkout', true, { targetingKey: 'user-1' })).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED' });

    await byRename(path, '{ not json');
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(1), EVENTUALLY); // the stale event
    expect(events[1]).toEqual(['stale', expect.stringContaining('file could not be read (snapshot must be valid JSON')]);
    expect(client.providerStatus).toBe('STALE');

    await byRename(path, JSON.stringify({ rollouts: { new_checkout: record(100, 3) } }));
    await vi.waitFor(() => expect(kinds(events)).toContain('ready'), EVENTUALLY); // ready again
    expect(events.slice(2)).toEqual(expect.arrayContaining([['ready', undefined], ['changed', ['new_checkout']]]));
    expect(client.providerStatus).toBe('READY');
    expect(await client.getBooleanValue('new_checkout', false, { targetingKey: 'user-1' })).toBe(true);
    expect(bucketry.status()).toMatchObject({ source: 'file', stale: false });
  });

  it('fails clearly when no set comes; flags are PROVIDER_NOT_READY until the source loads one, then READY', async () => {
    const path = join(dir, 'broken-at-start.json');
    await byRename(path, '{ not json');
    const { provider } = liveProvider(path);
    const domain = newDomain();
    await expect(OpenFeature.setProviderAndWait(domain, provider)).rejects.toThrow(
      /the client's source loaded no set, and there was no last-known-good copy or bootstrap \(file could not be read \(snapshot must be valid JSON/,
    );
    const client = OpenFeature.getClient(domain);
    expect(await client.getBooleanDetails('new_checkout', true, { targetingKey: 'user-1' })).toMatchObject({ value: true, errorCode: ErrorCode.PROVIDER_NOT_READY });
    const events = eventsOf(client);

    await byRename(path, JSON.stringify({ rollouts: { new_checkout: record(100, 1) } }));
    await vi.waitFor(() => expect(kinds(events)).toContain('ready'), EVENTUALLY); // ready after all
    expect(client.providerStatus).toBe('READY');
    expect(await client.getBooleanValue('new_checkout', false, { targetingKey: 'user-1' })).toBe(true);
  });

  it('a bootstrap is a first set: initialize resolves, and the source’s failure shows as PROVIDER_STALE', async () => {
    const path = join(dir, 'broken-with-bootstrap.json');
    const bootstrap = join(dir, 'bootstrap.json');
    await byRename(path, '{ not json');
    await writeFile(bootstrap, JSON.stringify({ rollouts: { new_checkout: record(100, 1) } }));
    const { provider } = liveProvider(path, { bootstrap });
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, provider);
    const client = OpenFeature.getClient(domain);
    const events = eventsOf(client);
    await vi.waitFor(() => expect(kinds(events)).toContain('stale'), EVENTUALLY);
    expect(events.find(([kind]) => kind === 'stale')).toEqual(['stale', expect.stringContaining('serving its bootstrap')]);
    expect(await client.getBooleanDetails('new_checkout', false, { targetingKey: 'user-1' })).toMatchObject({ value: true, reason: 'SPLIT' });
  });

  it('the store written through setRollout reaches OpenFeature as a change of that flag only', async () => {
    const path = join(dir, 'set-rollout.json');
    const store = createFileStore({ path });
    await setRollout(store, 'new_checkout', { percent: 10, actor: 'ana' });
    const { provider } = liveProvider(path);
    const domain = newDomain();
    await OpenFeature.setProviderAndWait(domain, provider);
    const client = OpenFeature.getClient(domain);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const events = eventsOf(client);
    events.length = 0;
    await setRollout(store, 'new_checkout', { percent: 50, actor: 'ana' });
    await vi.waitFor(() => expect(events).not.toHaveLength(0), EVENTUALLY); // the change
    expect(events).toEqual([['changed', ['new_checkout']]]);
    await store.close?.();
  });
});
