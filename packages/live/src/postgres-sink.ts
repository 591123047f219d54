import {
  createBatchingSink,
  ExperimentConfigError,
  type BatchingSink,
  type BatchingSinkOptions,
  type BatchingSinkStats,
  type DeliverySignal,
  type ExposureEvent,
  type FlushOptions,
} from '@bucketry/core';
import pg from 'pg';
import { migrateOnce } from './postgres-migration.js';
import { eventColumns, exposureRow, metricRow, type EventRow, type MetricEvent } from './postgres-sink-events.js';
import { EVENTS_TABLE, migrateEventsTable, sinkName } from './postgres-sink-schema.js';

export type { MetricEvent } from './postgres-sink-events.js';

/**
 * Options of {@link createPostgresSink}: where the table is, and core's batching options (batch
 * size, flush interval, queue bound, retries and their time budget, per-attempt timeout, close
 * deadline, `onError`).
 *
 * @example
 * ```ts
 * const options: PostgresSinkOptions = { connectionString: process.env.DATABASE_URL, schema: 'analytics', table: 'events', maxBatchSize: 500 };
 * ```
 */
export interface PostgresSinkOptions extends Omit<BatchingSinkOptions, 'deliver'> {
  /** Without it or `pool`, pg reads the `PG*` environment variables. */
  readonly connectionString?: string;
  /** Your pool (not ended by `close`). */
  readonly pool?: pg.Pool;
  /** The table's schema: lowercase letters, digits, `_`. Default `bucketry`. */
  readonly schema?: string;
  /** The table: lowercase letters, digits, `_`. Default `events`, the table `bucketry guard` reads by default. */
  readonly table?: string;
  /** Create the table (see {@link PostgresSink.migrate}) before the first insert. Default `true`. */
  readonly migrate?: boolean;
}

/**
 * Counters of a {@link PostgresSink}: core's, and the events the table held already.
 *
 * @example
 * ```ts
 * const { delivered, duplicates, dropped } = sink.stats();
 * ```
 */
export interface PostgresSinkStats extends BatchingSinkStats {
  /** Events delivered whose id the table already had (a retry of a batch that had landed): stored once. */
  readonly duplicates: number;
}

/**
 * An exposure sink into a PostgreSQL table, see {@link createPostgresSink}.
 *
 * @example
 * ```ts
 * const sink: PostgresSink = createPostgresSink({ connectionString: process.env.DATABASE_URL, migrate: false });
 * await sink.migrate(); // at deploy time, say
 * sink.track({ event: 'purchase', unit: 'user-42', properties: { revenue: 12.5 } });
 * ```
 */
export interface PostgresSink extends BatchingSink {
  /** Creates the table if it is missing (see the README for its columns). Safe at every start and from several instances at once. */
  migrate(): Promise<void>;
  /**
   * Queues a metric event for the same table, batched with the exposures. Like `write`, it never
   * waits; invalid input (no unit, properties that are not JSON) throws an
   * `ExperimentConfigError` naming the field, at the call.
   */
  track(event: MetricEvent): void;
  /**
   * As {@link BatchingSink.close}, then ends the pool it made. A number is the deadline in ms, as
   * `flushOnSignal` passes it: `flushOnSignal(sink, ['SIGTERM'], { timeout: 8_000 })`.
   */
  close(options?: FlushOptions | number): Promise<void>;
  stats(): PostgresSinkStats;
}

const CONTEXT = 'createPostgresSink';

/**
 * A sink that stores exposures (and metric events, with `track`) in a PostgreSQL table, for teams
 * whose events live there: `bucketry guard` and a warehouse analysis read it. Core's batching
 * sink does the rest: batches of `maxBatchSize` events, each one multi-row `insert … select from
 * unnest(…) on conflict (event_id) do nothing`, so a batch delivered twice (a retry after an
 * attempt that landed but timed out) is stored once; retries with backoff for up to
 * `retry.budgetMs` (5 minutes) while the database is down; a bounded queue; an insert that hangs
 * past `timeoutMs`, or is in flight when `close` or `flush` reaches its deadline, has its
 * connection closed. Every event dropped is counted in `stats()` and reported to `onError`.
 * `write` and `track` never wait and never throw for a database that is down.
 *
 * @example
 * ```ts
 * import { createBucketry } from '@bucketry/core';
 * import { createPostgresSink } from '@bucketry/live';
 *
 * const sink = createPostgresSink({
 *   connectionString: process.env.DATABASE_URL,
 *   onError: (error, info) => console.warn('exposures', info.kind, info.events, info.reason, error),
 * });
 * const bucketry = createBucketry({ experiments, sink });
 * sink.track({ event: 'purchase', unit: userId, properties: { revenue: 12.5 } });
 * process.on('SIGTERM', async () => {
 *   await sink.close({ deadlineMs: 8_000 });
 *   process.exit(sink.stats().dropped > 0 ? 1 : 0);
 * });
 * ```
 */
export function createPostgresSink(options: PostgresSinkOptions): PostgresSink {
  if (options === null || typeof options !== 'object') throw new ExperimentConfigError('options', options, 'must be an object', CONTEXT);
  const { connectionString, pool: givenPool, schema: givenSchema, table: givenTable, migrate: migrateFirst, ...batching } = options;
  if (connectionString !== undefined && typeof connectionString !== 'string') {
    throw new ExperimentConfigError('connectionString', connectionString, 'must be a string when given', CONTEXT);
  }
  if (givenPool !== undefined && connectionString !== undefined) {
    throw new ExperimentConfigError('connectionString', connectionString, 'must not be given with a pool: give one of them', CONTEXT);
  }
  if (givenPool !== undefined && (givenPool === null || typeof (givenPool as { connect?: unknown }).connect !== 'function')) {
    throw new ExperimentConfigError('pool', givenPool, 'must be a pg.Pool when given', CONTEXT);
  }
  if (migrateFirst !== undefined && typeof migrateFirst !== 'boolean') throw new ExperimentConfigError('migrate', migrateFirst, 'must be a boolean when given', CONTEXT);
  const schema = sinkName('schema', givenSchema ?? 'bucketry');
  const table = sinkName('table', givenTable ?? EVENTS_TABLE);
  const target = `"${schema}"."${table}"`;
  const ownPool = givenPool === undefined;
  const pool = givenPool ?? new pg.Pool({ connectionString, connectionTimeoutMillis: 5_000, max: 2, application_name: 'bucketry-postgres-sink' });
  // An idle client whose server went away: reported by the insert that next needs it, not by a crash.
  if (ownPool) pool.on('error', () => {});
  let duplicates = 0;

  /**
   * Runs `work` on a connection of the pool's, closed (not reused) when `work` fails or `signal`
   * aborts: pg cannot cancel a query otherwise. While the connection is out of the pool nothing
   * else listens to it, and a connection lost then would be an uncaught error: this listens.
   */
  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>, signal?: DeliverySignal, events = 0): Promise<T> => {
    const client = await pool.connect();
    let released = false;
    const release = (error?: Error): void => {
      if (released) return;
      released = true;
      client.removeListener('error', lost);
      client.release(error);
    };
    // The query running gets the error too; between queries there is nothing to tell.
    const lost = (): void => {};
    const abort = (): void => release(new Error(`insert of ${events} events into ${target} aborted (timed out, or left at a deadline); connection closed`));
    client.on('error', lost);
    const aborts = signal as AbortSignal | undefined;
    aborts?.addEventListener('abort', abort);
    try {
      if (aborts?.aborted) throw new Error(`insert into ${target} aborted before it started`);
      const result = await work(client);
      release();
      return result;
    } catch (error) {
      // A failed or aborted statement: the connection is closed rather than reused in an unknown state.
      release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      aborts?.removeEventListener('abort', abort);
    }
  };

  const migrate = migrateOnce(() => withClient((client) => migrateEventsTable(client, schema, table)));

  const insert = `insert into ${target} (event_id, event, "timestamp", unit, experiment, variant, reason, bucket, config_version, properties)
    select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::text[], $10::jsonb[])
    on conflict (event_id) do nothing`;

  /** One batch, one statement. */
  const deliver = async (batch: (ExposureEvent | EventRow)[], signal?: DeliverySignal): Promise<void> => {
    if (migrateFirst !== false) await migrate();
    const result = await withClient((client) => client.query(insert, eventColumns(batch)), signal, batch.length);
    duplicates += batch.length - (result.rowCount ?? 0);
  };

  // The queue holds exposures and metric rows alike: core passes them to deliver untouched.
  const inner = createBatchingSink({ ...batching, deliver: deliver as (events: ExposureEvent[], signal?: DeliverySignal) => Promise<void> });
  let closing: Promise<void> | undefined;

  return {
    write: (event) => inner.write(exposureRow(event)),
    track: (metric) => inner.write(metricRow(metric) as unknown as ExposureEvent),
    flush: (flushOptions?: FlushOptions) => inner.flush(flushOptions),
    close(flushOptions?: FlushOptions | number) {
      const options = typeof flushOptions === 'number' ? { deadlineMs: flushOptions } : flushOptions;
      // Every event is delivered or counted by then; a pool that fails to end loses nothing.
      closing ??= inner.close(options).then(() => (ownPool ? pool.end().catch(() => {}) : undefined));
      return closing;
    },
    stats: () => ({ ...inner.stats(), duplicates }),
    migrate,
  };
}
