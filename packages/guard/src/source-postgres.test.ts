import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventSource } from './source.js';
import { dropSchema, POSTGRES_URL, uniqueName } from './test-support/services.js';
import type { EventCursor } from './types.js';

// The real PostgreSQL, a table shaped as an exposure sink's: (event_id, timestamp, unit, experiment, variant, properties jsonb).
const schema = uniqueName('guard_events');
const client = new pg.Client({ connectionString: POSTGRES_URL });

beforeAll(async () => {
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.events (event_id text PRIMARY KEY, timestamp timestamptz NOT NULL, unit text NOT NULL, experiment text, variant text, event text, properties jsonb)`);
});
afterAll(async () => {
  await client.end();
  await dropSchema(schema);
});

const insert = (id: string, at: string, unit: string, fields: { experiment?: string; variant?: string; event?: string; properties?: object }) =>
  client.query(`INSERT INTO ${schema}.events VALUES ($1, $2, $3, $4, $5, $6, $7)`, [id, at, unit, fields.experiment ?? null, fields.variant ?? null, fields.event ?? null, fields.properties ? JSON.stringify(fields.properties) : null]);

describe('a PostgreSQL events table', () => {
  it('reads rows after the (timestamp, event_id) watermark once each, exposures and events alike, microseconds included', async () => {
    const source = await openEventSource(`${POSTGRES_URL}?table=${schema}.events&settle=0`);
    await insert('a', '2026-12-01T00:00:00.000001Z', 'u1', { experiment: 'checkout_v2', variant: 'new' });
    await insert('b', '2026-12-01T00:00:00.000001Z', 'u2', { experiment: 'checkout_v2', variant: 'old' });
    await insert('c', '2026-12-01T00:00:00.000002Z', 'u1', { event: 'checkout_error', properties: { code: 500 } });
    const seen: Record<string, unknown>[] = [];
    const sink = { line: () => {}, value: (v: unknown) => seen.push(v as Record<string, unknown>) };
    const first = await source.read(null, sink);
    expect(seen.map((e) => [e.event, e.unit, e.variant ?? null])).toEqual([
      ['experiment_exposure', 'u1', 'new'],
      ['experiment_exposure', 'u2', 'old'],
      ['checkout_error', 'u1', null],
    ]);
    expect(seen[2]).toMatchObject({ code: 500, timestamp: expect.stringMatching(/^2026-12-01/) });
    expect(first.bytes).toBe(3);
    await insert('d', '2026-12-01T00:00:00.000002Z', 'u3', { experiment: 'checkout_v2', variant: 'new' });
    seen.length = 0;
    const second = await source.read(first.cursor, sink);
    expect(seen.map((e) => e.unit)).toEqual(['u3']);
    expect((second.cursor as Extract<EventCursor, { kind: 'postgres' }>).eventId).toBe('d');
    seen.length = 0;
    await source.read(second.cursor, sink);
    expect(seen).toEqual([]);
    await source.close();
  });

  it('leaves rows newer than the settle time for a later look', async () => {
    const source = await openEventSource(`${POSTGRES_URL}?table=${schema}.events&settle=3600`);
    await insert('late', new Date().toISOString(), 'u9', { experiment: 'checkout_v2', variant: 'new' });
    const seen: unknown[] = [];
    const { cursor } = await source.read({ kind: 'postgres', table: `${schema}.events`, timestamp: '2026-12-01 00:00:00.000002+00', eventId: 'd' }, { line: () => {}, value: (v) => seen.push(v) });
    expect(seen).toEqual([]);
    expect(cursor).toMatchObject({ eventId: 'd' });
    await source.close();
  });

  it('counts the rows that arrive behind the read position (received_at), which it does not read', async () => {
    await client.query(`CREATE TABLE ${schema}.sunk (event_id text PRIMARY KEY, timestamp timestamptz NOT NULL, unit text NOT NULL, event text NOT NULL, properties jsonb, received_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`INSERT INTO ${schema}.sunk VALUES ('a', '2026-12-01T00:00:01Z', 'u1', 'experiment_exposure', '{"experiment":"checkout_v2","variant":"new"}')`);
    const source = await openEventSource(`${POSTGRES_URL}?table=${schema}.sunk&settle=0`);
    const sink = { line: () => {}, value: () => {} };
    const first = await source.read(null, sink);
    expect(first.late).toBe(0);
    // A sink's retry lands minutes later with the event's own, earlier time.
    await client.query(`INSERT INTO ${schema}.sunk VALUES ('b', '2026-12-01T00:00:00Z', 'u2', 'experiment_exposure', '{"experiment":"checkout_v2","variant":"old"}')`);
    const second = await source.read(first.cursor, sink);
    expect(second).toMatchObject({ bytes: 0, late: 1 });
    expect((await source.read(second.cursor, sink)).late).toBe(0);
    await source.close();
  });

  it('fails the look with the reason when the table cannot be read', async () => {
    const source = await openEventSource(`${POSTGRES_URL}?table=${schema}.missing`);
    await expect(source.read(null, { line: () => {}, value: () => {} })).rejects.toThrow(/events table .*missing cannot be read: relation .* does not exist/);
    await source.close();
  });
});
