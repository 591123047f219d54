// A PostgreSQL table of events (an exposure sink's table), read by the (timestamp, event_id)
// watermark: each look reads the rows after the last one read, in that order, in batches. Rows
// newer than `settle` are left for the next look, so a row committed a moment late with an earlier
// timestamp is still read. Rows later than that (a sink retrying for minutes) are counted from the
// table's received_at column, when it has one, and reported: never silently lost.
import pg from 'pg';
import { cursorOfKind, SourceError, type EventSink, type EventSource } from './source.js';
import type { EventCursor } from './types.js';

const BATCH_ROWS = 5000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** A row as an event: its columns (the exposure's experiment, variant, unit) and its `properties` jsonb merged; `event` defaults to the exposure. */
function rowEvent(row: Record<string, unknown>, exposureEvent: string): Record<string, unknown> {
  const { properties, timestamp, event, name, ...columns } = row;
  const extra = properties !== null && typeof properties === 'object' && !Array.isArray(properties) ? (properties as Record<string, unknown>) : {};
  return { ...extra, ...columns, event: event ?? name ?? exposureEvent, timestamp: timestamp instanceof Date ? timestamp.toISOString() : timestamp };
}

/** Rows received since the last read whose place is behind the read position: missed. 0 for a table without received_at. */
async function lateRows(pool: pg.Pool, table: string, since: string, timestamp: string, eventId: string | null): Promise<number> {
  try {
    const { rows } = await pool.query<{ late: number }>(
      `SELECT count(*)::int AS late FROM ${table} t WHERE t.received_at > $1::timestamptz AND (t.timestamp, t.event_id::text) <= ($2::timestamptz, $3::text)`,
      [since, timestamp, eventId ?? ''],
    );
    return rows[0]!.late;
  } catch (error) {
    if ((error as { code?: string }).code === '42703') return 0; // no received_at column: lateness cannot be seen
    throw error;
  }
}

/**
 * Events in a PostgreSQL table: `postgres://…?table=schema.table` (default `bucketry.events`),
 * `&settle=10` seconds (default 10). The table needs `event_id` (text or number, unique),
 * `timestamp` (timestamptz) and `unit`; `experiment`, `variant`, `event` (default: an exposure)
 * and `properties` (jsonb) are read when present; with `received_at` (as createPostgresSink's table
 * has), rows that arrive after the read position passed their time are counted as late.
 *
 * @example
 * ```ts
 * const source = createPostgresEventSource('postgres://monitor@db/app?table=bucketry.exposures');
 * ```
 */
export function createPostgresEventSource(url: string, exposureEvent = 'experiment_exposure'): EventSource {
  const parsed = new URL(url);
  const table = parsed.searchParams.get('table') ?? 'bucketry.events';
  const settle = Number(parsed.searchParams.get('settle') ?? '10');
  parsed.searchParams.delete('table');
  parsed.searchParams.delete('settle');
  if (!IDENTIFIER.test(table)) throw new TypeError(`events table is ${JSON.stringify(table)}, must be a lower-case name or schema.name`);
  if (!(settle >= 0 && Number.isFinite(settle))) throw new TypeError(`events settle is ${JSON.stringify(parsed.searchParams.get('settle'))}, must be a number of seconds >= 0`);
  const pool = new pg.Pool({ connectionString: parsed.toString(), max: 1 });
  pool.on('error', () => {}); // an idle connection dropped: the next look reconnects, and reports if it cannot
  return {
    description: `postgres table ${table}`,
    async read(cursor: EventCursor | null, sink: EventSink) {
      const from = cursorOfKind(cursor, 'postgres', `table ${table}`);
      let timestamp = from?.timestamp ?? null;
      let eventId = from?.eventId ?? null;
      let rows = 0;
      let late = 0;
      let readAt: string | null = null;
      try {
        readAt = (await pool.query<{ now: string }>('SELECT now()::text AS now')).rows[0]!.now;
        if (from?.readAt && timestamp !== null) late = await lateRows(pool, table, from.readAt, timestamp, eventId);
        for (;;) {
          const result = await pool.query(
            `SELECT to_jsonb(t) AS row, t.timestamp::text AS ts, t.event_id::text AS id FROM ${table} t
             WHERE t.timestamp < now() - make_interval(secs => $3)
               AND ($1::timestamptz IS NULL OR (t.timestamp, t.event_id::text) > ($1::timestamptz, $2::text))
             ORDER BY t.timestamp, t.event_id::text LIMIT ${BATCH_ROWS}`,
            [timestamp, eventId, settle],
          );
          for (const r of result.rows as { row: Record<string, unknown>; ts: string; id: string }[]) {
            sink.value(rowEvent(r.row, exposureEvent));
            timestamp = r.ts; // PostgreSQL's own text: microseconds kept, so the watermark is exact
            eventId = r.id;
          }
          rows += result.rows.length;
          if (result.rows.length < BATCH_ROWS) break;
        }
      } catch (error) {
        throw new SourceError(`events table ${table} cannot be read: ${(error as Error).message}`);
      }
      return { cursor: { kind: 'postgres', table, timestamp, eventId, readAt }, bytes: rows, late };
    },
    close: () => pool.end(),
  };
}
