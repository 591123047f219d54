#!/usr/bin/env node
// How fast a rollout change reaches a fleet of the example API, and what an outage of its store
// costs (issue #13). Not a test: figures, printed side by side (bench/README.md has a run).
//
//   pnpm build && node scripts/ensure-services.mjs && node bench/live-propagation.mjs [--reps 10] [--poll-ms 2000] [--skip-outage | --only-outage]
//
// For each source (PostgreSQL LISTEN/NOTIFY, Redis pub/sub, a watched file, HTTP polling), three
// instances of examples/skill-tree on one store, under steady traffic from this process (two
// requests in flight per instance, on 127.0.0.1):
//   1. the kill switch, --reps times: at 10%, `bucketry rollout set skill_tree_layout 0` (the
//      setRollout it runs), and the time until every instance answers every request with control;
//      PostgreSQL and Redis at their default 30 s poll (the push does the work), the file and HTTP
//      sources at --poll-ms (default 2 s). Targets: p99 <= 1 s; <= one poll interval + 1 s.
//   2. 10% -> 50% over 3,000 users: units that went from list back to tree (must be 0).
// Then, unless --skip-outage, for PostgreSQL and for Redis: the service is stopped in the middle of
// traffic (pg_ctlcluster ... stop; redis-cli shutdown nosave), one instance is restarted while it
// is down, the service is started again and a new rollout set at once. NOTE: this stops the
// machine's shared PostgreSQL and Redis for about 6 s each: other test runs on the machine see
// that outage. The bench starts them again whatever happens (finally blocks, Ctrl-C included).
//
// Bounded: at most 3,000,000 requests, every wait has a deadline; a run takes 3-4 minutes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeEverything, openBenchStore, startInstance } from './live/fleet.mjs';
import { measureOutage } from './live/outage.mjs';
import { measureKillSwitch, measureRamp } from './live/propagation.mjs';
import { printOutage, printPropagation, printRamp } from './live/report.mjs';
import { answers } from '../scripts/local-services.mjs';
import { restoreAll, startPostgres, startRedis, stopPostgres, stopRedis } from './live/services.mjs';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '10' },
    'poll-ms': { type: 'string', default: '2000' },
    'skip-outage': { type: 'boolean', default: false },
    'only-outage': { type: 'boolean', default: false },
  },
});
const reps = Number(values.reps);
const pollMs = Number(values['poll-ms']);
if (!Number.isInteger(reps) || reps < 1 || reps > 100) throw new Error(`--reps must be a whole number from 1 to 100, got ${values.reps}`);
if (!Number.isInteger(pollMs) || pollMs < 100 || pollMs > 60_000) throw new Error(`--poll-ms must be a whole number from 100 to 60000, got ${values['poll-ms']}`);
if (!(await answers(5432)) || !(await answers(6379))) {
  console.error('PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) must be running: node scripts/ensure-services.mjs');
  process.exit(1);
}

const dir = await mkdtemp(join(tmpdir(), 'bench-live-'));

// Ctrl-C or a kill: start what was stopped, stop the instances, remove the stores, then leave.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: starting any service this bench stopped, stopping its instances, removing its stores`);
    restoreAll()
      .catch((error) => console.error(`could not start a service again: ${error.message}; run node scripts/ensure-services.mjs`))
      .then(closeEverything)
      .then(() => rm(dir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });
}
const propagation = [];
const ramps = [];
const outages = [];
const started = Date.now();
const progress = (text) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);
try {
  for (const kind of values['only-outage'] ? [] : ['postgres', 'redis', 'file', 'http']) {
    const store = await openBenchStore(kind, dir, pollMs);
    const instances = [];
    try {
      for (let i = 0; i < 3; i++) instances.push(await startInstance(store, dir, `${kind}-${i}`));
      const urls = instances.map((instance) => instance.url);
      progress(`${kind}: three instances up; ${reps} kill switches under traffic`);
      const deadlineMs = store.pollMs === undefined ? 10_000 : store.pollMs + 10_000;
      propagation.push({ kind, pollMs: store.pollMs, ...(await measureKillSwitch({ store, urls, reps, deadlineMs })) });
      progress(`${kind}: 10% -> 50% over 3,000 users`);
      ramps.push({ kind, ...(await measureRamp({ store, urls })) });
    } finally {
      for (const instance of instances) await instance.stop('SIGTERM');
      await store.close();
    }
  }
  if (!values['skip-outage']) {
    progress('postgres outage (the machine’s PostgreSQL is stopped for a few seconds)');
    outages.push(await measureOutage({ kind: 'postgres', dir, stop: stopPostgres, start: startPostgres }));
    progress('redis outage (the machine’s Redis is stopped for a few seconds)');
    outages.push(await measureOutage({ kind: 'redis', dir, stop: stopRedis, start: startRedis }));
  }
} finally {
  await restoreAll();
  await rm(dir, { recursive: true, force: true });
}

progress('done');
console.log(`\nbench/live-propagation.mjs (--reps ${reps}, --poll-ms ${pollMs}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
if (propagation.length > 0) printPropagation(propagation, pollMs);
if (ramps.length > 0) printRamp(ramps);
if (outages.length > 0) printOutage(outages);
