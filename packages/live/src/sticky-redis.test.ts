import { assignVariant, createBucketry, experimentFromJSON } from '@bucketry/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LiveStickyStore, StickyErrorContext } from './sticky-options.js';
import { createRedisStickyStore, type RedisStickyStoreOptions } from './sticky-redis.js';
import { REDIS_URL, deleteKeys, uniqueName, waitFor } from './test-support/services.js';
import { STICKY_EXPERIMENTS as EXPERIMENTS, STICKY_EXPERIMENTS_LATER as LATER } from './test-support/sticky-experiments.js';

const prefix = `${uniqueName('live_sticky')}:`;
const admin = new Redis(REDIS_URL);
const stores: LiveStickyStore[] = [];
afterEach(async () => void (await Promise.all(stores.splice(0).map((store) => store.close(1_000)))));
afterAll(async () => {
  await deleteKeys(prefix);
  await admin.quit();
});

function open(options: Partial<RedisStickyStoreOptions> = {}) {
  const errors: { error: unknown; context: StickyErrorContext }[] = [];
  const store = createRedisStickyStore({
    ...(options.redis ? {} : { url: REDIS_URL }),
    prefix,
    loadTimeout: 10_000, // Redis is up: a slow machine must not make a load time out
    onError: (error, context) => void errors.push({ error, context }),
    ...options,
  });
  stores.push(store);
  return { store, errors };
}

/**
 * Every command Redis runs that names one of this file's keys, seen through MONITOR. `settled()`
 * waits until a marker sent after the commands of interest is seen, so none is still on its way.
 */
async function monitorCommands() {
  const monitor = await new Redis(REDIS_URL).monitor();
  const seen: string[][] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    // The commands a script runs are listed too, from source 'lua': only round trips count.
    if (source !== 'lua' && args.some((arg) => arg.startsWith(prefix))) seen.push(args);
  });
  let markers = 0;
  const settled = async (): Promise<string[][]> => {
    const marker = `${prefix}marker-${++markers}`;
    await admin.get(marker);
    await waitFor('the marker in MONITOR', () => seen.some((args) => args.includes(marker)));
    return seen.filter((args) => !args.some((arg) => arg.startsWith(`${prefix}marker-`)));
  };
  stores.push({ close: async () => void monitor.disconnect() } as unknown as LiveStickyStore);
  return { settled, clear: () => void seen.splice(0) };
}

describe('Redis sticky store', () => {
  it('round-trips records: set, flush, a new store loads them and assignVariant keeps them (reason sticky)', async () => {
    const { store, errors } = open({ configVersion: (key) => first.experiment(key).version });
    const first = createBucketry({ experiments: EXPERIMENTS, sticky: store });
    const units = Array.from({ length: 20 }, (_, i) => `round-${i}`);
    await store.load(units);
    const before = units.map((unit) => EXPERIMENTS.map(({ key }) => first.assign(key, unit)));
    await store.flush(10_000);
    expect(store.stats()).toMatchObject({ written: 60, queued: 0, batches: 1 });
    const record = JSON.parse((await admin.hget(`${prefix}round-0`, 'pricing_table'))!);
    expect(record).toEqual({ variant: before[0]![2]!.variant, configVersion: first.experiment('pricing_table').version, assignedAt: expect.any(String) });
    expect(await admin.ttl(`${prefix}round-0`)).toBe(-1); // no TTL unless asked

    const { store: fresh } = open();
    await fresh.load(units);
    for (const [u, unit] of units.entries()) {
      for (const [e, config] of LATER.entries()) {
        const kept = assignVariant(experimentFromJSON(config), unit, undefined, { sticky: fresh });
        expect(kept).toMatchObject({ reason: 'sticky', variant: before[u]![e]!.variant });
      }
    }
    const moved = units.filter((unit, u) => LATER.some((config, e) => assignVariant(experimentFromJSON(config), unit).variant !== before[u]![e]!.variant));
    expect(moved.length).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('loads a unit in many experiments, and several units, with one command; cached units with none', async () => {
    const { store } = open();
    await admin.hset(`${prefix}one-many`, Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`experiment_${i}`, JSON.stringify({ variant: `v${i}` })])));
    await admin.hset(`${prefix}one-b`, 'experiment_0', JSON.stringify({ variant: 'v9' }));
    const commands = await monitorCommands();
    await store.load(['one-many', 'one-b', 'one-none']);
    const seen = await commands.settled();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.slice(0, 1).concat(seen[0]!.slice(2))).toEqual(['eval', '3', `${prefix}one-many`, `${prefix}one-b`, `${prefix}one-none`]);
    expect(Array.from({ length: 8 }, (_, i) => store.get('one-many', `experiment_${i}`))).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    expect(store.get('one-b', 'experiment_0')).toBe('v9');

    commands.clear();
    await store.load(['one-many', 'one-none']);
    expect(await commands.settled()).toHaveLength(0);
    expect(store.stats()).toMatchObject({ loaded: 3, misses: 3, hits: 2 });
  });

  it('writes N records in ceil(N / batchSize) commands, with the TTL', async () => {
    const { store } = open({ batchSize: 100, flushInterval: 600_000, ttl: 3_600 });
    const commands = await monitorCommands();
    for (let i = 0; i < 250; i++) store.set(`batch-${i}`, 'skill_tree_layout', i % 2 ? 'list' : 'tree');
    await waitFor('two full batches', () => store.stats().batches === 2);
    expect(store.stats().queued).toBe(50);
    await store.flush(10_000);
    const seen = await commands.settled();
    expect(seen.map((args) => `${args[0]} ${args[2]}`)).toEqual(['eval 100', 'eval 100', 'eval 50']);
    expect(store.stats()).toMatchObject({ written: 250, batches: 3 });
    expect(JSON.parse((await admin.hget(`${prefix}batch-7`, 'skill_tree_layout'))!).variant).toBe('list');
    const ttl = await admin.ttl(`${prefix}batch-7`);
    expect(ttl).toBeGreaterThan(3_000);
    expect(ttl).toBeLessThanOrEqual(3_600);
  });

  it('never overwrites a record it did not load; replaces a loaded one whose variant is gone', async () => {
    const { store } = open({ flushInterval: 600_000 });
    await admin.hset(`${prefix}keep-1`, 'skill_tree_layout', JSON.stringify({ variant: 'list' }));
    await admin.hset(`${prefix}swap-1`, 'skill_tree_layout', JSON.stringify({ variant: 'retired' }));
    store.set('keep-1', 'skill_tree_layout', 'tree');
    expect(store.get('keep-1', 'skill_tree_layout')).toBe('tree'); // at once, before it is written
    const bucketry = createBucketry({ experiments: EXPERIMENTS, sticky: store });
    await store.load('swap-1');
    const swapped = bucketry.assign('skill_tree_layout', 'swap-1');
    expect(swapped.reason).toBe('bucketed');
    await store.flush(10_000);
    expect(JSON.parse((await admin.hget(`${prefix}keep-1`, 'skill_tree_layout'))!).variant).toBe('list');
    expect(JSON.parse((await admin.hget(`${prefix}swap-1`, 'skill_tree_layout'))!).variant).toBe(swapped.variant);
    expect(store.stats()).toMatchObject({ written: 1, kept: 1 });
  });

  it('reports records that are not JSON with a variant, and loads the rest', async () => {
    const { store, errors } = open();
    await admin.hset(`${prefix}bad-1`, { skill_tree_layout: 'list', pricing_table: JSON.stringify({ variant: 'b' }) });
    await store.load('bad-1');
    expect(store.get('bad-1', 'pricing_table')).toBe('b');
    expect(store.get('bad-1', 'skill_tree_layout')).toBeUndefined();
    expect(errors.map(({ context }) => context)).toEqual([{ store: 'redis', stage: 'load', records: 1 }]);
    expect(String(errors[0]!.error)).toContain(`1 sticky record(s) ignored: not JSON with a string "variant" (${prefix}bad-1 skill_tree_layout)`);
  });

  it('Redis down (a closed port): load resolves with nothing loaded, onError is told, assignments are plain, nothing crashes', async () => {
    const { store, errors } = open({ url: 'redis://127.0.0.1:1', retryDelay: 20 });
    const bucketry = createBucketry({ experiments: EXPERIMENTS, sticky: store });
    await store.load('down-1');
    expect(errors[0]!.context).toEqual({ store: 'redis', stage: 'load', records: 1 });
    const assignment = bucketry.assign('skill_tree_layout', 'down-1');
    expect(assignment).toEqual(assignVariant(experimentFromJSON(EXPERIMENTS[0]!), 'down-1'));
    await waitFor('a failed write attempt', () => store.stats().failedBatches >= 1);
    await store.close(50);
    expect(store.stats()).toMatchObject({ dropped: 1, queued: 0, written: 0, failedLoads: 1 });
    expect(errors.at(-1)!.context).toEqual({ store: 'redis', stage: 'drop', records: 1, reason: 'closed' });
  });
});
