// The outage part of bench/live-propagation.mjs: three instances on PostgreSQL or Redis under
// steady traffic; the service is stopped in the middle of it; one instance is restarted while it is
// down (drained first, as a load balancer would); the service comes back and a new rollout is set
// at once. What it counts: failed requests, answers that were not the last good rollout's, request
// latency before and during the outage, what the restarted instance served and said, and how long
// until the instances are fresh again and serve the value set after recovery.
import { performance } from 'node:perf_hooks';
import { healthOf, openBenchStore, startInstance, statusOf, waitForAll, whenEachServes } from './fleet.mjs';
import { pickUsers, variantAt } from './propagation.mjs';
import { createTraffic } from './traffic.mjs';

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** p50, p99 and max of latencies in ms, and how many took longer than 100 ms. */
function latencyStats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, over100: sorted.filter((v) => v > 100).length };
}

/** Retries a write, on a new connection each time as the CLI would, until the service takes it. */
async function setWhenBack(store, percent, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await store.setFresh(percent);
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

async function waitFresh(urls, timeoutMs = 120_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const healths = await Promise.all(urls.map((url) => healthOf(url).catch(() => ({ stale: true }))));
    if (healths.every((health) => !health.stale)) return;
    if (performance.now() > deadline) throw new Error(`still stale after ${timeoutMs} ms: ${JSON.stringify(healths)}`);
    await sleep(50);
  }
}

/**
 * Runs the scenario against `kind` ('postgres' or 'redis'); `stop()` and `start()` stop and start
 * the service. The caller keeps a finally that starts the service whatever happens here.
 */
export async function measureOutage({ kind, dir, stop, start, beforeMs = 4000, downMs = 6000 }) {
  const store = await openBenchStore(kind, dir);
  const instances = [];
  let traffic;
  let serviceDown = false;
  try {
    await store.set(25);
    for (let i = 0; i < 3; i++) instances.push(await startInstance(store, dir, `${kind}-outage-${i}`));
    const urls = () => instances.map((instance) => instance.url);
    await waitForAll(urls(), 25);
    // Users who keep list at 25% and users who move to list at 50%: the latter show the change after recovery.
    const users = [...pickUsers('outage-a', 150, (u) => variantAt(25, u) === 'list'), ...pickUsers('outage-b', 150, (u) => variantAt(25, u) === 'tree' && variantAt(50, u) === 'list')];
    let phase = 'before';
    const latency = { before: [], outage: [] };
    const failed = { before: 0, outage: 0, after: 0 };
    let notLastGood = 0;
    const slow = [];
    let checked = 0;
    traffic = createTraffic({
      urls: urls(),
      users,
      onResponse(answer) {
        if (answer.status !== 200) failed[phase]++;
        else if (phase !== 'after') {
          latency[phase].push(answer.receivedAt - answer.sentAt);
          if (phase === 'outage' && answer.receivedAt - answer.sentAt > 100) slow.push({ at: answer.sentAt, ms: answer.receivedAt - answer.sentAt, instance: answer.instance });
          checked++;
          if (answer.variant !== variantAt(25, answer.user)) notLastGood++;
        }
      },
    });
    traffic.start();
    await sleep(beforeMs);

    phase = 'outage';
    serviceDown = true;
    await stop();
    const downAt = performance.now();
    await sleep(downMs / 2);
    // An instance restarted while the store is down: drained, stopped, started again on its DATA_DIR.
    const restartAt = performance.now();
    await traffic.drain(1);
    const exitCode = await instances[1].stop('SIGTERM');
    instances[1] = await startInstance(store, dir, `${kind}-outage-1`);
    const restarted = {
      exitCode,
      line: /skill_tree_layout at [^,]+, config version \w+(, stale: [^,]+)?/.exec(instances[1].output())?.[0],
      status: await statusOf(instances[1].url),
    };
    traffic.restore(1, instances[1].url);
    const restartedAt = performance.now();
    await sleep(downMs / 2);
    const staleDuringOutage = await Promise.all(urls().map((url) => healthOf(url).then((health) => health.stale)));

    await start();
    serviceDown = false;
    const backAt = performance.now();
    // From here, two clocks: until every instance is fresh again on its own, and a change set at once.
    const fresh = waitFresh(urls()).then(() => performance.now());
    await setWhenBack(store, 50);
    const setAt = performance.now();
    phase = 'after';
    const eachAt50 = await whenEachServes(urls(), 50);
    const allAt50 = Math.max(...eachAt50);
    const freshAt = await fresh;
    await traffic.stop();
    traffic = undefined;
    return {
      kind,
      outageMs: backAt - downAt,
      requests: checked,
      failed,
      notLastGood,
      latency: { before: latencyStats(latency.before), outage: latencyStats(latency.outage) },
      restarted: { ...restarted, fromMs: restartAt - downAt, toMs: restartedAt - downAt },
      // The slow answers during the outage, by when they were sent (ms after the stop) and to which instance.
      slow: slow.map(({ at, ms, instance }) => ({ atMs: at - downAt, ms, instance })),
      staleDuringOutage,
      setAfterBackMs: setAt - backAt,
      pickedUpMs: allAt50 - setAt,
      eachPickedUpMs: eachAt50.map((at) => Math.max(0, at - setAt)),
      freshAfterBackMs: freshAt - backAt,
    };
  } finally {
    await traffic?.stop();
    if (serviceDown) await start();
    for (const instance of instances) await instance.stop('SIGTERM');
    await store.close();
  }
}
