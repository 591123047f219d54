import { assignVariant, defineExperiment } from '@bucketry/core';
import { openStore, setRollout } from '@bucketry/live';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { useScratchDir } from './test-support/scratch-dir.js';
import { runExampleToExit, useExamples, type RunningExample } from './test-support/start-example.js';
import { storeConnectionNames, testStore, type StoreKind, type TestStore } from './test-support/test-stores.js';
import { waitFor } from './test-support/wait-for.js';

// The example with BUCKETRY_STORE: its rollout follows a real file, PostgreSQL or Redis store
// while it runs (the store's push, no restart), and a restart while the store is away serves the
// last good rollout. store-outage.test.ts takes the store away from a running instance.

const HEADER = 'x-experiment-skill-tree-layout';
const layoutAt = (rollout: number) => defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout });
/** The first user-N on `variant` at each rollout of `path`, as the engine assigns them. */
function userOn(...path: [number, 'tree' | 'list'][]): string {
  for (let i = 1; i < 100_000; i++) {
    const user = `user-${i}`;
    if (path.every(([rollout, variant]) => assignVariant(layoutAt(rollout), user).variant === variant)) return user;
  }
  throw new Error(`no user follows ${JSON.stringify(path)}`);
}
const LIST_AT_10 = userOn([10, 'list']);
const TREE_AT_10_LIST_AT_50 = userOn([10, 'tree'], [50, 'list']);

const scratch = useScratchDir('skill-tree-live-');

async function set(store: TestStore, percent: number): Promise<void> {
  const opened = openStore(store.url);
  try {
    await setRollout(opened, 'skill_tree_layout', { percent, actor: 'live-test', phase: 'test' });
  } finally {
    await opened.close();
  }
}

const rolloutStatus = async (running: RunningExample) => (await fetch(`${running.url}/api/feature-flags/skill_tree_layout`)).text();
const health = async (running: RunningExample) => (await (await fetch(`${running.url}/api/healthz`)).json()) as { config: Record<string, unknown> };
async function layoutFor(running: RunningExample, user: string, cookie?: string) {
  const response = await fetch(`${running.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user, ...(cookie && { cookie }) } });
  return { status: response.status, header: response.headers.get(HEADER), cookies: response.headers.getSetCookie(), layout: ((await response.json()) as { layout: string }).layout };
}
/** Polls the status route until it answers `expected`: a change reaches the instance without a restart. */
const follows = (running: RunningExample, expected: string) => waitFor(`${running.url} to answer ${expected}`, () => rolloutStatus(running), (text) => text === expected);

/** A port nothing listens on: taken from the OS and given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let store: TestStore | undefined;
afterEach(async () => {
  await store?.cleanup();
  store = undefined;
});
// Registered after the store's: each test's examples are killed before its store is cleaned up.
const startExample = useExamples();

describe.each<StoreKind>(['file', 'postgres', 'redis'])('BUCKETRY_STORE=%s:…', (kind) => {
  it('follows every change without a restart: the status route, the header, the cookie and the health route; SIGTERM closes the source', async () => {
    store = testStore(kind, `skill_tree_live_${kind}`, scratch(`follow-${kind}.json`));
    await set(store, 10);
    const running = await startExample({ BUCKETRY_STORE: store.url, EXPOSURE_LOG: scratch(`follow-${kind}.jsonl`), DATA_DIR: scratch(`follow-${kind}-data`) }, 30_000);
    expect(running.output()).toContain(`BUCKETRY_STORE=${store.url}, skill_tree_layout at 10% from ${kind}, config version ${layoutAt(10).version},`);
    expect(await rolloutStatus(running)).toBe('{"enabled":true,"percentage":10}');
    expect(await layoutFor(running, LIST_AT_10)).toMatchObject({ status: 200, header: 'list', layout: 'list' });
    expect(await health(running)).toMatchObject({ status: 'ok', config: { source: kind, stale: false, staleReason: null } });
    if (kind !== 'file') await waitFor(`the ${kind} listener`, () => storeConnectionNames(store!), (names) => names.length === 1);

    // The kill switch: everyone gets tree and a list cookie is rewritten, at once and with no restart.
    await set(store, 0);
    await follows(running, '{"enabled":false,"percentage":0}');
    const killed = await layoutFor(running, LIST_AT_10, 'exp_skill_tree_layout=list');
    expect(killed).toMatchObject({ status: 200, header: 'tree', layout: 'tree' });
    expect(killed.cookies).toEqual(['exp_skill_tree_layout=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly']);

    // A ramp: a user who had tree at 10% moves to list at 50%, one who had list keeps it.
    await set(store, 50);
    await follows(running, '{"enabled":true,"percentage":50}');
    expect(await layoutFor(running, TREE_AT_10_LIST_AT_50)).toMatchObject({ header: 'list', layout: 'list' });
    expect(await layoutFor(running, LIST_AT_10)).toMatchObject({ header: 'list' });
    expect((await health(running)).config).toMatchObject({ source: kind, stale: false, version: expect.stringMatching(/^[0-9a-f]{8}$/) });
    expect(running.output()).toContain(`skill-tree: skill_tree_layout at 0% from ${kind}, config version ${layoutAt(0).version}\n`);
    expect(running.output()).toContain(`skill-tree: skill_tree_layout at 50% from ${kind}, config version ${layoutAt(50).version}\n`);

    expect(await running.stop('SIGTERM')).toBe(0);
    const afterSignal = running.output().slice(running.output().indexOf('skill-tree: SIGTERM'));
    // Closed cleanly: nothing but the shutdown lines (a listener torn down from under the source would report here).
    expect(afterSignal.trim().split('\n')).toEqual([
      'skill-tree: SIGTERM: finishing requests and writing queued events',
      expect.stringMatching(/^skill-tree: closed \d+ idle connections; waiting up to 5000 ms for 0 with a request in progress$/),
      expect.stringMatching(/^skill-tree: stopped; events written to /),
    ]);
    expect(await storeConnectionNames(store)).toEqual([]);
  }, 90_000);
});

describe('a restart while the store cannot be reached', () => {
  it('serves the last-known-good copy from DATA_DIR: the last good rollout, marked stale with the reason', async () => {
    store = testStore('postgres', 'skill_tree_lkg');
    const dataDir = scratch('lkg-data');
    await set(store, 25);
    let running = await startExample({ BUCKETRY_STORE: store.url, EXPOSURE_LOG: scratch('lkg.jsonl'), DATA_DIR: dataDir }, 30_000);
    await set(store, 50);
    await follows(running, '{"enabled":true,"percentage":50}');
    expect(await running.stop('SIGTERM')).toBe(0);

    // The same instance, restarted while its database is unreachable (a port nothing listens on).
    const unreachable = `postgres://postgres@127.0.0.1:${await closedPort()}/test?schema=${store.name}`;
    running = await startExample({ BUCKETRY_STORE: unreachable, EXPOSURE_LOG: scratch('lkg.jsonl'), DATA_DIR: dataDir }, 30_000);
    expect(running.output()).toMatch(/skill_tree_layout at 50% from postgres \(last-known-good copy\), config version \w+, stale: postgres could not be read at start; serving its last-known-good copy saved at \S+ until it answers/);
    expect(await rolloutStatus(running)).toBe('{"enabled":true,"percentage":50}');
    expect(await layoutFor(running, TREE_AT_10_LIST_AT_50)).toMatchObject({ status: 200, header: 'list' });
    const { config } = await health(running);
    expect(config).toMatchObject({ stale: true, source: 'postgres (last-known-good copy)' });
    expect(config.staleReason).toMatch(/^postgres could not be read/);
    expect(config.lastError).toMatch(/ECONNREFUSED/);
  }, 90_000);

  it('serves BUCKETRY_BOOTSTRAP on a first start with no copy yet, and else the base rollout, stale', async () => {
    const bootstrap = scratch('bootstrap.json');
    const record = { rollout: 10, enabled: true, version: 4, updatedAt: '2026-11-02T09:30:00.000Z', actor: 'deploy', phase: 'smoke', reason: null };
    await writeFile(bootstrap, JSON.stringify({ rollouts: { skill_tree_layout: record } }));
    const unreachable = `redis://127.0.0.1:${await closedPort()}?prefix=never:`;
    let running = await startExample({ BUCKETRY_STORE: unreachable, BUCKETRY_BOOTSTRAP: bootstrap, EXPOSURE_LOG: scratch('boot.jsonl'), DATA_DIR: scratch('boot-data') }, 30_000);
    expect(running.output()).toContain('skill_tree_layout at 10% from redis (bootstrap)');
    expect(await rolloutStatus(running)).toBe('{"enabled":true,"percentage":10}');
    expect(await layoutFor(running, LIST_AT_10)).toMatchObject({ status: 200, header: 'list' });
    expect((await health(running)).config).toMatchObject({ stale: true, source: 'redis (bootstrap)' });
    await running.stop('SIGTERM');

    // Neither copy nor bootstrap: the variable's rollout (the default 0 without it), stale, and requests still served.
    running = await startExample({ BUCKETRY_STORE: unreachable, SKILL_TREE_LIST_ROLLOUT: '5', EXPOSURE_LOG: scratch('boot.jsonl'), DATA_DIR: scratch('empty-data') }, 30_000);
    expect(running.output()).toMatch(/skill_tree_layout at 5% from SKILL_TREE_LIST_ROLLOUT=5, config version \w+, stale: redis could not be read/);
    expect(await rolloutStatus(running)).toBe('{"enabled":true,"percentage":5}');
    expect((await layoutFor(running, LIST_AT_10)).status).toBe(200);
  }, 90_000);
});

describe('start-up with a bad BUCKETRY_STORE', () => {
  it('stops, naming the variable, the value (without its password) and the forms', async () => {
    const { code, stdout, stderr } = await runExampleToExit({ BUCKETRY_STORE: 'mysql://app:secret@db/app', EXPOSURE_LOG: scratch('never.jsonl') });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'skill-tree: not starting: BUCKETRY_STORE must be file:<path>, postgres://… (?schema=name), redis://… (?prefix=name:) or an http(s):// URL serving the rollout snapshot, got "mysql://app:***@db/app"\n',
    );
  });
});
