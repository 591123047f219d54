import { readFileSync } from 'node:fs';
import { EXPOSURE_EVENT, type BatchingSinkErrorInfo, type ExposureEvent } from '@bucketry/core';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { silentServer } from '../../../test-support/silent-server.js';
import { startTcpProxy } from '../../../test-support/tcp-proxy.js';
import { createPostgresSink, type PostgresSinkOptions } from './postgres-sink.js';
import { POSTGRES_URL, dropSchema, uniqueName, waitFor } from './test-support/services.js';

// The PostgreSQL exposure sink against the real database (issue #21), in a schema of its own: one
// insert per batch, each event stored once however often it is delivered, the database going away
// mid-run, and close() by its deadline whatever an insert does.
const schema = uniqueName('live_pg_sink');
const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 3 });
const cleanUp: (() => Promise<unknown>)[] = [];
afterEach(async () => void (await Promise.all(cleanUp.splice(0).map((close) => close()))));
afterAll(async () => {
  await dropSchema(schema);
  await admin.end();
});

let tables = 0;
/** A sink on a table of its own (closed after the test), and what it reported. */
function openSink(options: Partial<PostgresSinkOptions> = {}) {
  const table = options.table ?? `events_${++tables}`;
  const reports: [unknown, BatchingSinkErrorInfo][] = [];
  const sink = createPostgresSink({
    connectionString: POSTGRES_URL,
    schema,
    table,
    onError: (error, info) => reports.push([error, info]),
    ...options,
  });
  cleanUp.push(() => sink.close({ deadlineMs: 5_000 }));
  const rows = async (): Promise<number> => Number((await admin.query(`select count(*) from "${schema}"."${table}"`)).rows[0].count);
  return { sink, table, reports, rows };
}

const exposure = (n: number, experiment = 'skill_tree_layout'): ExposureEvent => ({
  event: EXPOSURE_EVENT,
  experiment,
  variant: n % 2 ? 'list' : 'tree',
  unit: `user-${n}`,
  reason: 'bucketed',
  bucket: 1_000 * n,
  timestamp: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, n)).toISOString(),
  configVersion: '3690faca',
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
});
const exposures = (from: number, to: number): ExposureEvent[] => Array.from({ length: to - from }, (_, i) => exposure(from + i));

/** Waits for `closing`, failing after a generous 30 s: a close that never settles fails the test instead of hanging it. */
async function settles(closing: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('close() did not settle')), 30_000)));
  await Promise.race([closing, stuck]).finally(() => clearTimeout(timer));
}

/** The README's export query, on a test's table: the lines `bucketry analyze` reads. */
function exportQuery(table: string): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const query = /```sql\n(-- Export for bucketry analyze[\s\S]*?)```/.exec(readme)?.[1];
  expect(query, 'README.md has the export query').toBeDefined();
  return query!.replaceAll('bucketry.events', `"${schema}"."${table}"`);
}

describe('createPostgresSink', () => {
  it('stores exposures with one multi-row insert per batch, which the README export gives back as they were written', async () => {
    const { sink, table, rows } = openSink({ maxBatchSize: 100 });
    const events = exposures(0, 250);
    for (const event of events) sink.write(event);
    await sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(250);
    expect(sink.stats()).toMatchObject({ delivered: 250, dropped: 0, failedAttempts: 0, duplicates: 0 });
    // One statement per batch: three inserts, at three distinct transaction times.
    const inserts = await admin.query(`select count(distinct xmin::text) as n from "${schema}"."${table}"`);
    expect(Number(inserts.rows[0].n)).toBe(3);
    const exported = (await admin.query(exportQuery(table))).rows.map((r: { line: string }) => JSON.parse(r.line));
    expect(exported).toEqual(events);
  });

  it('keeps an interleaving exposure’s list (items and teams), which the README export gives back with it', async () => {
    const { sink, table } = openSink();
    const list: ExposureEvent = { ...exposure(1), interleaving: { query: 'home', method: 'team-draft', items: ['s1', 's3', 's2'], teams: ['A', 'B', null] } };
    sink.write(list);
    await sink.flush({ deadlineMs: 60_000 });
    const exported = (await admin.query(exportQuery(table))).rows.map((r: { line: string }) => JSON.parse(r.line));
    expect(exported).toEqual([list]);
  });

  it('gives an exposure written without an eventId (an older core, one made by hand) an id of its own, instead of failing its batch', async () => {
    const { sink, table } = openSink();
    const { eventId: _id, ...withoutId } = exposure(1);
    sink.write(withoutId as ExposureEvent);
    sink.write(exposure(2));
    await sink.flush({ deadlineMs: 60_000 });
    expect(sink.stats()).toMatchObject({ delivered: 2, dropped: 0, failedAttempts: 0 });
    const stored = await admin.query(`select unit, event_id from "${schema}"."${table}" order by unit`);
    expect(stored.rows).toEqual([
      { unit: 'user-1', event_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) },
      { unit: 'user-2', event_id: exposure(2).eventId },
    ]);
  });

  it('stores each event once: a batch delivered twice, and an id twice in one batch, leave one row per id', async () => {
    const { sink, rows } = openSink();
    const events = exposures(0, 20);
    for (const event of events) sink.write(event);
    await sink.flush({ deadlineMs: 60_000 });
    for (const event of events) sink.write(event); // a redelivery, as a retry after a lost answer makes
    sink.write(exposure(20));
    sink.write(exposure(20));
    await sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(21);
    expect(sink.stats()).toMatchObject({ delivered: 42, duplicates: 21, dropped: 0 });
  });

  it('stores metric events from track() in the same table, properties as jsonb the export spreads as the analysis reads them', async () => {
    const { sink, table } = openSink();
    sink.write(exposure(1));
    sink.track({ event: 'purchase', unit: 'user-1', properties: { revenue: 12.5, currency: 'EUR' }, timestamp: '2026-12-01T10:05:00.000Z', eventId: 'p-1' });
    sink.track({ event: 'page_load', unit: 'user-1', properties: { duration_ms: 840 }, timestamp: Date.UTC(2026, 11, 1, 10, 6) });
    await sink.flush({ deadlineMs: 60_000 });
    const stored = await admin.query(`select event, properties, experiment from "${schema}"."${table}" order by "timestamp"`);
    expect(stored.rows).toEqual([
      { event: 'experiment_exposure', properties: null, experiment: 'skill_tree_layout' },
      { event: 'purchase', properties: { revenue: 12.5, currency: 'EUR' }, experiment: null },
      { event: 'page_load', properties: { duration_ms: 840 }, experiment: null },
    ]);
    const exported = (await admin.query(exportQuery(table))).rows.map((r: { line: string }) => JSON.parse(r.line));
    expect(exported.slice(1)).toEqual([
      { event: 'purchase', unit: 'user-1', timestamp: '2026-12-01T10:05:00.000Z', eventId: 'p-1', revenue: 12.5, currency: 'EUR' },
      { event: 'page_load', unit: 'user-1', timestamp: '2026-12-01T10:06:00.000Z', eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), duration_ms: 840 },
    ]);
  });

  it('stores text with U+0000, which PostgreSQL cannot hold, as U+FFFD instead of failing the batch on every retry', async () => {
    const { sink, table, rows } = openSink();
    sink.write({ ...exposure(1), unit: 'user\u00001' });
    sink.track({ event: 'note', unit: 'u', properties: { 'k\u0000': 'v\u0000', nested: ['\u0000'] } });
    await sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(2);
    const stored = await admin.query(`select unit, properties from "${schema}"."${table}" order by event`);
    expect(stored.rows).toEqual([
      { unit: 'user\uFFFD1', properties: null },
      { unit: 'u', properties: { 'k\uFFFD': 'v\uFFFD', nested: ['\uFFFD'] } },
    ]);
    expect(sink.stats()).toMatchObject({ failedAttempts: 0, dropped: 0 });
  });
});

describe('createPostgresSink, the database down', () => {
  it('retries while PostgreSQL is away mid-run, then stores every event once it is back: nothing lost', async () => {
    const proxy = await startTcpProxy(5432);
    cleanUp.push(() => proxy.close());
    const { sink, reports, rows } = openSink({
      connectionString: POSTGRES_URL.replace(/@[^/]+\//, `@127.0.0.1:${proxy.port}/`),
      maxBatchSize: 10,
      retry: { baseDelayMs: 50, maxDelayMs: 200 },
    });
    for (const event of exposures(0, 10)) sink.write(event);
    await sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(10);

    await proxy.cut();
    for (const event of exposures(10, 30)) sink.write(event);
    await waitFor('failed attempts while the database is away', () => reports.length >= 3, 60_000);
    expect(await rows()).toBe(10);
    await proxy.restore();
    await sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(30);
    expect(sink.stats()).toMatchObject({ delivered: 30, dropped: 0 });
    expect(reports.every(([, info]) => info.kind === 'delivery')).toBe(true);
  }, 120_000);

  it('drops and reports a batch once the retry budget is spent while PostgreSQL stays away, and carries on after', async () => {
    const proxy = await startTcpProxy(5432);
    cleanUp.push(() => proxy.close());
    const { sink, reports, rows } = openSink({
      connectionString: POSTGRES_URL.replace(/@[^/]+\//, `@127.0.0.1:${proxy.port}/`),
      retry: { budgetMs: 300, baseDelayMs: 20, maxDelayMs: 50 },
    });
    await sink.migrate();
    await proxy.cut();
    for (const event of exposures(0, 5)) sink.write(event);
    await sink.flush({ deadlineMs: 60_000 });
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 5 });
    expect(reports.at(-1)![1]).toMatchObject({ kind: 'drop', events: 5, reason: 'gave_up' });
    expect(String(reports.at(-1)![0])).toMatch(/ECONNREFUSED|connect/);
    await proxy.restore();
    for (const event of exposures(5, 8)) sink.write(event);
    await sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(3);
    expect(sink.stats()).toMatchObject({ delivered: 3, dropped: 5 });
  }, 120_000);

  it('close() settles by its deadline while an insert waits on a lock, counting the events and closing its connection', async () => {
    const { sink, table, reports, rows } = openSink({ timeoutMs: 600_000 });
    await sink.migrate();
    const locker = await admin.connect();
    try {
      await locker.query('begin');
      await locker.query(`lock table "${schema}"."${table}" in access exclusive mode`);
      for (const event of exposures(0, 4)) sink.write(event);
      void sink.flush({ deadlineMs: 60_000 });
      const waiting = `select count(*) from pg_stat_activity where application_name = 'bucketry-postgres-sink' and wait_event_type = 'Lock'`;
      await waitFor('the insert to wait on the lock', async () => Number((await admin.query(waiting)).rows[0].count) === 1, 60_000);
      // A close stuck on the insert fails here, and lets the lock go.
      await settles(sink.close({ deadlineMs: 300 }));
      expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 4, inFlight: 0 });
      expect(reports).toEqual([[expect.any(Error), { kind: 'drop', events: 4, reason: 'deadline' }]]);
    } finally {
      await locker.query('rollback');
      locker.release();
    }
    // Its connection was closed: the backend ends once the lock is gone (an insert already sent may
    // still land, once: that is what event ids are for).
    const backends = `select count(*) from pg_stat_activity where application_name = 'bucketry-postgres-sink'`;
    await waitFor('the sink to hold no connection', async () => Number((await admin.query(backends)).rows[0].count) === 0, 60_000);
    expect(await rows()).toBeLessThanOrEqual(4);
    const again = openSink({ table });
    for (const event of exposures(0, 4)) again.sink.write(event);
    await again.sink.flush({ deadlineMs: 60_000 });
    expect(await rows()).toBe(4);
  }, 120_000);
});

describe('createPostgresSink, a database that never answers', () => {
  it('close(ms), as flushOnSignal calls it, settles by that deadline, dropping and reporting what is left', async () => {
    // A server that accepts and never answers, holding each connection until the test ends.
    const { port, close } = await silentServer();
    cleanUp.push(close);
    const { sink, reports } = openSink({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, timeoutMs: 600_000 });
    for (const event of exposures(0, 3)) sink.write(event);
    await settles(sink.close(200));
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 3, queued: 0, inFlight: 0 });
    expect(reports.map(([error, info]) => [String(error), info])).toEqual([
      ['Error: close did not finish within 200 ms; dropped 3 exposure events not yet delivered', { kind: 'drop', events: 3, reason: 'deadline' }],
    ]);
  }, 60_000);
});
