// What a PostgreSQL sticky store (@bucketry/live) costs a request, and how its writes batch.
//
//   pnpm --filter @bucketry/core --filter @bucketry/live build && node bench/sticky-store.mjs
//
// Needs the PostgreSQL of the tests (BUCKETRY_TEST_POSTGRES_URL, default
// postgres://postgres@127.0.0.1:5432/test; `node scripts/ensure-services.mjs` starts it). Works in
// a schema of its own (bench_sticky_<pid>_<random>), dropped at the end.
//
// A "request" is: `await sticky.load(unit)`, then three `bucketry.assign` calls. CONCURRENCY
// requests are in flight at once, as on a server. Cases, each on UNITS units:
//   plain             no store: `await null`, then the three assignments (the reference)
//   first visits      new units: load misses (one query), three records set, written in batches
//   repeat visits     the same units on the same instance: load hits the cache, no round trip
//   after a restart   a new instance (cold cache): load reads the records, every assignment is 'sticky'
// Then the writes alone: the records of WRITE_UNITS new units set at once and flushed, batched
// (batchSize 500) against one statement per record (batchSize 1).
//
// Bounded: every case stops issuing requests after PHASE_SECONDS (default 8) and reports what it
// did; the whole run takes well under a minute. BENCH_STICKY_UNITS (default 10,000),
// BENCH_STICKY_CONCURRENCY (default 32), BENCH_STICKY_WRITE_UNITS (default 2,000).
import { createRequire } from 'node:module';
import { createBucketry } from '@bucketry/core';
import { dropSchema, POSTGRES_URL, uniqueName } from '../test-support/scratch-stores.mjs';

// pg is @bucketry/live's dependency, not the bench's.
const pg = createRequire(new URL('../packages/live/package.json', import.meta.url))('pg');

const live = await import('../packages/live/dist/index.js').catch((error) => {
  console.error(`packages/live/dist is missing or stale; run: pnpm --filter @bucketry/live build (${error.message})`);
  process.exit(1);
});
if (typeof live.createPostgresStickyStore !== 'function') {
  console.error('packages/live/dist has no createPostgresStickyStore; run: pnpm --filter @bucketry/live build');
  process.exit(1);
}
const { createPostgresStickyStore } = live;

const UNITS = Number(process.env.BENCH_STICKY_UNITS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_STICKY_CONCURRENCY ?? 32);
const WRITE_UNITS = Number(process.env.BENCH_STICKY_WRITE_UNITS ?? 2_000);
const PHASE_MS = Number(process.env.PHASE_SECONDS ?? 8) * 1_000;
const SCHEMA = uniqueName('bench_sticky');

const EXPERIMENTS = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 },
  { key: 'onboarding_copy', variants: ['short', 'long'], rollout: 50 },
  { key: 'pricing_table', variants: ['a', 'b', 'c'] },
];
const KEYS = EXPERIMENTS.map(({ key }) => key);
const units = (label, count) => Array.from({ length: count }, (_, i) => `${label}-${i}-${(i * 2654435761) % 1e9}`);

const errors = [];
const open = (options = {}) =>
  createPostgresStickyStore({ connectionString: POSTGRES_URL, schema: SCHEMA, loadTimeout: 5_000, onError: (error, context) => errors.push({ error, context }), ...options });

/** Runs `handle` on each unit, CONCURRENCY at a time, until all are done or PHASE_MS has passed. */
async function drive(list, handle) {
  let next = 0;
  let done = 0;
  const latencies = [];
  const started = performance.now();
  const deadline = started + PHASE_MS;
  const worker = async () => {
    while (next < list.length && performance.now() < deadline) {
      const began = performance.now();
      await handle(list[next++]);
      latencies.push(performance.now() - began);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { done, ms: performance.now() - started, p50: at(0.5), p99: at(0.99) };
}

function clientWith(sticky) {
  return createBucketry({ experiments: EXPERIMENTS, ...(sticky ? { sticky } : {}) });
}

const reasons = new Map();
const assignAll = (bucketry, unit) => {
  for (const key of KEYS) {
    const { reason } = bucketry.assign(key, unit);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
};

const rows = [];
const perSecond = (count, ms) => (count / ms) * 1_000;

// 1. Plain: the same requests without a store, repeated over the units for at least a second.
{
  const bucketry = clientWith(undefined);
  const list = units('plain', UNITS);
  let done = 0;
  let ms = 0;
  let run;
  while (ms < 1_000) {
    run = await drive(list, async (unit) => {
      await null;
      assignAll(bucketry, unit);
    });
    done += run.done;
    ms += run.ms;
  }
  rows.push({ name: 'plain (no store)', done, ms, p50: run.p50, p99: run.p99 });
}

// 2-4. The PostgreSQL store.
const visitors = units('visit', UNITS);
const first = open();
await first.migrate();
{
  const bucketry = clientWith(first);
  reasons.clear();
  const run = await drive(visitors, async (unit) => {
    await first.load(unit);
    assignAll(bucketry, unit);
  });
  const flushStarted = performance.now();
  await first.flush(30_000);
  rows.firstWriteMs = performance.now() - flushStarted + run.ms; // from the first set to the last batch written
  rows.push({ name: 'postgres: first visits', ...run, flushMs: performance.now() - flushStarted, note: `reasons ${JSON.stringify(Object.fromEntries(reasons))}` });
  reasons.clear();
  const repeat = await drive(visitors.slice(0, run.done), async (unit) => {
    await first.load(unit);
    assignAll(bucketry, unit);
  });
  rows.push({ name: 'postgres: repeat visits (cache)', ...repeat, note: `reasons ${JSON.stringify(Object.fromEntries(reasons))}` });
  rows.firstStats = first.stats();
  rows.firstVisited = run.done;
}
await first.close(30_000);
{
  const restarted = open();
  const bucketry = clientWith(restarted);
  reasons.clear();
  const run = await drive(visitors.slice(0, rows.firstVisited), async (unit) => {
    await restarted.load(unit);
    assignAll(bucketry, unit);
  });
  rows.push({ name: 'postgres: after a restart', ...run, note: `reasons ${JSON.stringify(Object.fromEntries(reasons))}` });
  await restarted.close(30_000);
}

// 5. Writes alone: batched against one statement per record.
async function writes(batchSize) {
  const store = open({ batchSize, maxQueue: WRITE_UNITS * KEYS.length, flushInterval: 600_000 });
  await store.migrate();
  const list = units(`write${batchSize}`, WRITE_UNITS);
  const started = performance.now();
  for (const unit of list) for (const key of KEYS) store.set(unit, key, 'x');
  await store.flush(PHASE_MS);
  const ms = performance.now() - started;
  const stats = store.stats();
  await store.close(0); // what the deadline left is dropped (and counted), not waited for
  return { batchSize, ms, ...stats };
}
const batched = await writes(500);
const single = await writes(1);

// Report.
const plain = rows[0];
const rate = (row) => perSecond(row.done, row.ms);
console.log(`sticky store bench: ${UNITS} units, ${CONCURRENCY} requests in flight, 3 assignments per request, PostgreSQL at ${POSTGRES_URL.replace(/\/\/[^@]*@/, '//')}`);
console.log('');
console.log(`${'case'.padEnd(34)} ${'requests'.padStart(9)} ${'requests/s'.padStart(11)} ${'assigns/s'.padStart(11)} ${'vs plain'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  notes`);
for (const row of rows) {
  const flush = row.flushMs === undefined ? '' : `flush after: ${row.flushMs.toFixed(0)} ms; `;
  console.log(
    `${row.name.padEnd(34)} ${String(row.done).padStart(9)} ${rate(row).toFixed(0).padStart(11)} ${(rate(row) * 3).toFixed(0).padStart(11)} ${(rate(row) / rate(plain)).toFixed(3).padStart(9)} ${row.p50.toFixed(3).padStart(8)} ${row.p99.toFixed(3).padStart(8)}  ${flush}${row.note ?? ''}`,
  );
}
const s = rows.firstStats;
console.log('');
console.log(
  `first visits' writes: ${s.written} records in ${s.batches} batches (${(s.written / Math.max(1, s.batches)).toFixed(1)} records/batch, ${perSecond(s.batches, rows.firstWriteMs).toFixed(1)} batches/s, ${perSecond(s.written, rows.firstWriteMs).toFixed(0)} records/s), ${s.failedBatches} failed, ${s.dropped} dropped; loads: ${s.misses} misses, ${s.hits} hits`,
);
console.log('');
console.log(`${'writes alone'.padEnd(34)} ${'records'.padStart(9)} ${'records/s'.padStart(11)} ${'batches/s'.padStart(11)} ${'rec/batch'.padStart(9)} ${'vs 1/stmt'.padStart(10)}`);
for (const w of [batched, single]) {
  const done = w.written + w.kept;
  console.log(
    `${`batchSize ${w.batchSize}`.padEnd(34)} ${String(done).padStart(9)} ${perSecond(done, w.ms).toFixed(0).padStart(11)} ${perSecond(w.batches, w.ms).toFixed(1).padStart(11)} ${(done / Math.max(1, w.batches)).toFixed(1).padStart(9)} ${(perSecond(done, w.ms) / perSecond(single.written + single.kept, single.ms)).toFixed(1).padStart(10)}${w.dropped ? `  (${w.dropped} not written within ${PHASE_MS / 1_000} s)` : ''}`,
  );
}
const unexpected = errors.filter(({ context }) => !(context.stage === 'drop' && context.reason === 'closed'));
if (unexpected.length > 0) console.log(`\n${unexpected.length} errors reported, first: ${unexpected[0].error}`);

await dropSchema(pg, SCHEMA);
