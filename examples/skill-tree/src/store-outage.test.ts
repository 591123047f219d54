import { assignVariant, defineExperiment } from '@bucketry/core';
import { openStore, setRollout } from '@bucketry/live';
import { afterEach, describe, expect, it } from 'vitest';
import { useScratchDir } from './test-support/scratch-dir.js';
import { useExamples, type RunningExample } from './test-support/start-example.js';
import { startTcpProxy, type TcpProxy } from '../../../test-support/tcp-proxy.js';
import { testStore, type TestStore } from './test-support/test-stores.js';
import { waitFor } from './test-support/wait-for.js';

// A running instance loses its store (a TCP proxy in front of the real PostgreSQL or Redis is cut,
// so only this instance sees the outage) and gets it back: every request is still served, with the
// last good rollout, the health route says stale and why, and a change made meanwhile is applied
// once the store answers again. No timings are asserted: waits have deadlines, nothing more.

const layout10 = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 });
/** Users the engine puts on list at 10%: each must keep getting list until the store says otherwise. */
const LIST_USERS = Array.from({ length: 400 }, (_, i) => `outage-user-${i}`).filter((user) => assignVariant(layout10, user).variant === 'list');
const REQUESTS_DURING_OUTAGE = 60;

const scratch = useScratchDir('skill-tree-outage-');

let store: TestStore | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await store?.cleanup();
  proxy = store = undefined;
});
// Registered after the proxy's and store's: each test's example is killed before they go.
const startExample = useExamples();

async function set(percent: number): Promise<void> {
  const opened = openStore(store!.url); // straight to the store, not through the proxy
  try {
    await setRollout(opened, 'skill_tree_layout', { percent, actor: 'outage-test' });
  } finally {
    await opened.close();
  }
}
const get = async (running: RunningExample, path: string, user?: string) => fetch(`${running.url}${path}`, user === undefined ? {} : { headers: { 'x-user-id': user } });
const statusText = async (running: RunningExample) => (await get(running, '/api/feature-flags/skill_tree_layout')).text();
const configHealth = async (running: RunningExample) => ((await (await get(running, '/api/healthz')).json()) as { config: { stale: boolean; staleReason: string | null } }).config;

describe.each([
  ['postgres', 5432],
  ['redis', 6379],
] as const)('%s goes away under a running instance', (kind, port) => {
  it('keeps serving every request with the last good rollout, says stale and why, and applies what changed once the store is back', async () => {
    expect(LIST_USERS.length).toBeGreaterThan(20);
    proxy = await startTcpProxy(port);
    store = testStore(kind, `skill_tree_outage_${kind}`);
    const throughProxy = store.url.replace(`127.0.0.1:${port}`, `127.0.0.1:${proxy.port}`);
    expect(throughProxy).not.toBe(store.url);
    await set(10);
    // A poll of 1 s, so the instance notices the outage without waiting for the default 30 s.
    const running = await startExample({ BUCKETRY_STORE: throughProxy, BUCKETRY_POLL_MS: '1000', EXPOSURE_LOG: scratch(`${kind}.jsonl`), DATA_DIR: scratch(`${kind}-data`) }, 30_000);
    expect(await statusText(running)).toBe('{"enabled":true,"percentage":10}');

    await proxy.cut();
    await set(0); // made during the outage: the instance cannot see it yet
    const stale = await waitFor('the health route to say stale', () => configHealth(running), (config) => config.stale, 60_000);
    expect(stale.staleReason).toMatch(new RegExp(`^${kind} could not be read`));
    for (let i = 0; i < REQUESTS_DURING_OUTAGE; i++) {
      const user = LIST_USERS[i % LIST_USERS.length]!;
      const response = await get(running, '/api/v1/skills/tree', user);
      expect(response.status, `request ${i} during the outage`).toBe(200);
      expect(response.headers.get('x-experiment-skill-tree-layout'), `${user}, request ${i} during the outage`).toBe('list');
    }
    expect(await statusText(running)).toBe('{"enabled":true,"percentage":10}');

    await proxy.restore();
    await waitFor('the change made during the outage to arrive', () => statusText(running), (text) => text === '{"enabled":false,"percentage":0}', 90_000);
    await waitFor('the stale mark to clear', () => configHealth(running), (config) => !config.stale, 30_000);
    expect((await get(running, '/api/v1/skills/tree', LIST_USERS[0])).headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    // And a change made after recovery arrives too.
    await set(10);
    await waitFor('a change after recovery to arrive', () => statusText(running), (text) => text === '{"enabled":true,"percentage":10}', 60_000);
    expect(await running.stop('SIGTERM')).toBe(0);
  }, 240_000);
});
