// A PostgreSQL table of events (an exposure sink's table), read by the (timestamp, event_id)
// watermark: each look reads the rows after the last one read, in that order, in batches. Rows
// newer than `settle` are left for the next look, so a row committed a moment late with an earlier
// timestamp is still read.
import pg from 'pg';
import { SourceError, type EventSink, type EventSource } from './source.js';
import type { EventCursor } from './types.js';

const BATCH_ROWS = 5000;
const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** A row as an event: its columns (the exposure's experiment, variant, unit) and its `properties` jsonb merged; `event` defaults to the exposure. */
function rowEvent(row: Record<string, unknown>, exposureEvent: string): Record<string, unknown> {
  const { properties, timestamp, event, name, ...columns } = row;
  const extra = properties !== null && typeof properties === 'object' && !Array.isArray(properties) ? (properties as Record<string, unknown>) : {};
  return { ...extra, ...columns, event: event ?? name ?? exposureEvent, timestamp: timestamp instanceof Date ? timestamp.toISOString() : timestamp };
}

/**
 * Events in a PostgreSQL table: `postgres://…?table=schema.table` (default `bucketry.events`),
 * `&settle=10` seconds (default 10). The table needs `event_id` (text or number, unique),
 * `timestamp` (timestamptz) and `unit`; `experiment`, `variant`, `event` (default: an exposure)
 * and `properties` (jsonb) are read when present.
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
      const from = cursor?.kind === 'postgres' ? cursor : null;
      if (cursor !== null && from === null) throw new SourceError(`the saved read position is for a ${cursor.kind} source, not the table ${table}`);
      let timestamp = from?.timestamp ?? null;
      let eventId = from?.eventId ?? null;
      let rows = 0;
      try {
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
      return { cursor: { kind: 'postgres', table, timestamp, eventId }, bytes: rows };
    },
    close: () => pool.end(),
  };
}
