// The stores and the instances of bench/live-propagation.mjs: a rollout store of each kind in a
// PostgreSQL schema, Redis key prefix or temporary file of its own (removed by `close()`), the
// HTTP case served by this process from a file store (with an ETag, as a config service would),
// and instances of the example API on free ports of 127.0.0.1 reading it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { waitForRollout } from '../../examples/skill-tree/scripts/wait-for-rollout.mjs';
import { spawnServerProcess } from '../../examples/skill-tree/src/server-process.mjs';
import { deleteKeys, dropSchema, POSTGRES_URL, REDIS_URL, uniqueName } from '../../test-support/scratch-stores.mjs';

const live = await import('../../packages/live/dist/index.js').catch((error) => {
  console.error(`packages/live/dist is missing; run pnpm build first (${error.message})`);
  process.exit(1);
});
// pg and ioredis are @bucketry/live's dependencies, not the bench's: for dropping what it made.
const requireFromLive = createRequire(new URL('../../packages/live/package.json', import.meta.url));
const pg = requireFromLive('pg');
const { Redis } = requireFromLive('ioredis');

export const KEY = 'skill_tree_layout';

/** What is open now: the instances and stores, for `closeEverything()` when the bench is interrupted. */
const openInstances = new Set();
const openStores = new Set();

/** Stops every instance and removes every store still open (on Ctrl-C or a kill). */
export async function closeEverything() {
  await Promise.all([...openInstances].map((instance) => instance.stop('SIGTERM', 5_000)));
  for (const store of openStores) await store.close().catch(() => {});
}

/** Serves the file store's snapshot at /rollouts.json with an ETag (304 when unchanged). */
async function serveSnapshot(store) {
  const server = createServer(async (req, res) => {
    try {
      const body = JSON.stringify(await store.read());
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
    } catch (error) {
      res.writeHead(503).end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * A store for one source kind: `instanceStore` is the BUCKETRY_STORE the instances get, `pollMs`
 * their BUCKETRY_POLL_MS (undefined: the default 30 s, for the stores that push), `set(percent)`
 * is what `bucketry rollout set skill_tree_layout <percent>` runs (setRollout, on a connection kept
 * open so the figure is the propagation, not a CLI's start-up), `setFresh(percent)` the same on a
 * new connection (after an outage the kept one may still be reconnecting), `close()` removes it all.
 */
export async function openBenchStore(kind, dir, pollMs) {
  const name = uniqueName('bench_live');
  let writerUrl;
  let cleanup = async () => {};
  if (kind === 'postgres') {
    writerUrl = `${POSTGRES_URL}?schema=${name}`;
    cleanup = () => dropSchema(pg, name);
  } else if (kind === 'redis') {
    writerUrl = `${REDIS_URL}?prefix=${name}:`;
    cleanup = () => deleteKeys(Redis, `${name}:`);
  } else {
    writerUrl = `file:${join(dir, `${name}.json`)}`;
  }
  const writer = live.openStore(writerUrl);
  let server;
  let instanceStore = writerUrl;
  if (kind === 'http') {
    server = await serveSnapshot(writer);
    instanceStore = `http://127.0.0.1:${server.address().port}/rollouts.json`;
  }
  const store = {
    kind,
    instanceStore,
    pollMs: kind === 'file' || kind === 'http' ? pollMs : undefined,
    set: (percent) => live.setRollout(writer, KEY, { percent, actor: 'bench', phase: 'bench' }),
    /** The same on a connection of its own, opened for it and closed after, as the CLI does. */
    async setFresh(percent) {
      const fresh = live.openStore(writerUrl);
      try {
        return await live.setRollout(fresh, KEY, { percent, actor: 'bench', phase: 'bench' });
      } finally {
        await fresh.close();
      }
    },
    async close() {
      openStores.delete(store);
      if (server) await new Promise((resolve) => server.close(resolve));
      await writer.close();
      await cleanup();
    },
  };
  openStores.add(store);
  return store;
}

/** Starts one instance of the example API on the store; resolves with `{ url, pid, output, stop }`. */
export async function startInstance(store, dir, index) {
  const env = {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    BUCKETRY_STORE: store.instanceStore,
    EXPOSURE_LOG: join(dir, `instance-${index}.jsonl`),
    DATA_DIR: join(dir, `instance-${index}-data`),
    ...(store.pollMs !== undefined && { BUCKETRY_POLL_MS: String(store.pollMs) }),
  };
  const server = spawnServerProcess({ env, timeoutMs: 60_000 });
  const instance = {
    pid: server.pid,
    output: server.output,
    stop: (signal, graceMs) => {
      openInstances.delete(instance);
      return server.stop(signal, graceMs);
    },
  };
  openInstances.add(instance);
  instance.url = await server.ready;
  return instance;
}

export const statusOf = async (url) => (await fetch(`${url}/api/feature-flags/${KEY}`)).json();
export const healthOf = async (url) => (await (await fetch(`${url}/api/healthz`)).json()).config;

/** When each instance first answered `percent` on its status route (performance.now(), ms); throws after `timeoutMs`. */
export async function whenEachServes(urls, percent, timeoutMs = 120_000) {
  const deadline = performance.now() + timeoutMs;
  const at = urls.map(() => undefined);
  while (at.includes(undefined)) {
    if (performance.now() > deadline) throw new Error(`not every instance serves ${percent}% after ${timeoutMs} ms`);
    await Promise.all(
      urls.map(async (url, i) => {
        if (at[i] !== undefined) return;
        const answer = await statusOf(url).catch(() => undefined);
        if (answer?.percentage === percent && answer.enabled === percent > 0) at[i] = performance.now();
      }),
    );
    await new Promise((done) => setTimeout(done, 10));
  }
  return at;
}

/** Waits until every instance's status route says `percent` (wait-for-rollout.mjs); throws after `timeoutMs`. */
export async function waitForAll(urls, percent, timeoutMs = 60_000) {
  const { instances } = await waitForRollout({ percent, urls, timeoutMs, experiment: KEY });
  const behind = instances.filter(({ ok }) => !ok);
  if (behind.length > 0) throw new Error(`not every instance serves ${percent}% after ${timeoutMs} ms: ${behind.map(({ url, answer }) => `${url} ${answer}`).join('; ')}`);
}
