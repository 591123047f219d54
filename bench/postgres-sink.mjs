// How fast the PostgreSQL exposure sink (@bucketry/live's createPostgresSink) stores events:
// batched (one insert … select from unnest(…) on conflict do nothing per batch of 500) against
// one statement per event (maxBatchSize 1, the baseline), then the same events delivered again
// (every row there already: nothing added).
//
//   pnpm --filter @bucketry/core --filter @bucketry/live build && node bench/postgres-sink.mjs
//
// Needs the PostgreSQL of the tests (BUCKETRY_TEST_POSTGRES_URL, default
// postgres://postgres@127.0.0.1:5432/test). Works in a schema of its own, dropped at the end.
// BENCH_SINK_EVENTS (default 20,000) events batched; the baseline stores a tenth of them, as one
// statement each takes far longer.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { EXPOSURE_EVENT } from '@bucketry/core';
import { dropSchema, POSTGRES_URL, uniqueName } from '../test-support/scratch-stores.mjs';

// pg is @bucketry/live's dependency, not the bench's.
const pg = createRequire(new URL('../packages/live/package.json', import.meta.url))('pg');
const live = await import('../packages/live/dist/index.js').catch(() => ({}));
if (typeof live.createPostgresSink !== 'function') {
  console.error('packages/live/dist has no createPostgresSink; run: pnpm --filter @bucketry/core --filter @bucketry/live build');
  process.exit(1);
}
const EVENTS = Number(process.env.BENCH_SINK_EVENTS ?? 20_000);
const SCHEMA = uniqueName('bench_pg_sink');

const exposures = (count) =>
  Array.from({ length: count }, (_, i) => ({
    event: EXPOSURE_EVENT,
    experiment: 'skill_tree_layout',
    variant: i % 2 ? 'list' : 'tree',
    unit: `user-${i}`,
    reason: 'bucketed',
    bucket: (i * 7919) % 1_000_000,
    timestamp: new Date().toISOString(),
    configVersion: '3690faca',
    eventId: randomUUID(),
  }));

/** Writes `events` through a sink on `table` and flushes; the events per second, and the sink's stats. */
async function run(table, events, options) {
  const errors = [];
  const sink = live.createPostgresSink({ connectionString: POSTGRES_URL, schema: SCHEMA, table, maxQueueSize: Math.max(events.length, 10_000), onError: (error) => errors.push(error), ...options });
  await sink.migrate();
  const started = performance.now();
  for (const event of events) sink.write(event);
  await sink.flush({ deadlineMs: 600_000 });
  const seconds = (performance.now() - started) / 1_000;
  const stats = sink.stats();
  await sink.close();
  if (errors.length > 0) console.error(`  ${errors.length} errors, first: ${errors[0]}`);
  return { perSecond: events.length / seconds, stats };
}

const count = async (table) => {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return Number((await client.query(`select count(*) from "${SCHEMA}"."${table}"`)).rows[0].count);
  } finally {
    await client.end();
  }
};

try {
  const batchedEvents = exposures(EVENTS);
  const baselineEvents = exposures(Math.max(1, Math.round(EVENTS / 10)));
  const baseline = await run('baseline', baselineEvents, { maxBatchSize: 1 });
  const batched = await run('batched', batchedEvents, { maxBatchSize: 500 });
  const again = await run('batched', batchedEvents, { maxBatchSize: 500 });
  const rows = await count('batched');
  const line = (name, { perSecond, stats }, n) =>
    `${name.padEnd(34)} ${String(n).padStart(7)} events  ${Math.round(perSecond).toLocaleString('en').padStart(9)} events/s  ${(perSecond / baseline.perSecond).toFixed(1).padStart(6)}x  delivered ${stats.delivered}, duplicates ${stats.duplicates}, dropped ${stats.dropped}`;
  console.log('createPostgresSink into PostgreSQL (ratio: events/s against one statement per event)');
  console.log(line('one statement per event (baseline)', baseline, baselineEvents.length));
  console.log(line('batches of 500', batched, batchedEvents.length));
  console.log(line('the same events again', again, batchedEvents.length));
  console.log(`rows in the table: ${rows} (events: ${batchedEvents.length})`);
} finally {
  await dropSchema(pg, SCHEMA);
}
