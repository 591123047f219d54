import pg from 'pg';
import { backoffDelay, quietTimer } from './backoff.js';
import { migrateOnce } from './postgres-migration.js';
import { channelOf, migrate, schemaName } from './postgres-schema.js';
import { parseRecord, type RolloutChange, type RolloutRecord } from './record.js';
import { changeOf, checkExpected, nextRecord, type RolloutStore } from './store.js';

/**
 * Options of {@link createPostgresStore}: a connection string or a pool of your own, and the schema.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { connectionString: 'postgres://app@db/app', schema: 'bucketry', migrate: true };
 * ```
 */
export interface PostgresStoreOptions {
  readonly connectionString?: string;
  /** Your pool (not ended by `close`). The listener then opens its own connection with the pool's options. */
  readonly pool?: pg.Pool;
  /** Default `bucketry`. */
  readonly schema?: string;
  /** Run {@link migrate} before the first query. Default `true`. */
  readonly migrate?: boolean;
  /** The first wait before the listener reconnects, in ms (doubled per failure, with jitter, up to 30 s). Default 500. */
  readonly reconnectDelay?: number;
}

type Row = { experiment: string; rollout: number; enabled: boolean; version: number; updated_at: Date; actor: string; phase: string | null; reason: string | null; config: unknown };

const recordOf = (row: Row): RolloutRecord =>
  parseRecord(`rollouts.${row.experiment}`, {
    rollout: row.rollout, enabled: row.enabled, version: row.version, updatedAt: row.updated_at.toISOString(),
    actor: row.actor, phase: row.phase, reason: row.reason, ...(row.config == null ? {} : { config: row.config }),
  });

/**
 * A rollout store in PostgreSQL: tables in a schema you name (see {@link migrate}). A write is one
 * transaction that locks the experiment's row, compares the version, updates it and appends the
 * history; the table's trigger then sends `NOTIFY`, which every instance's source receives through
 * `LISTEN`. The listener reconnects with backoff when its connection drops, and tells the source to
 * re-read, since notifications sent meanwhile are lost.
 *
 * @example
 * ```ts
 * import { createBucketry } from '@bucketry/core';
 * import { createPostgresStore, createStoreSource } from '@bucketry/live';
 *
 * const bucketry = createBucketry({ experiments: base });
 * const source = createStoreSource(bucketry, createPostgresStore({ connectionString: process.env.DATABASE_URL }), { base });
 * await source.start();
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): RolloutStore {
  const schema = schemaName(options.schema ?? 'bucketry');
  const s = `"${schema}"`;
  const ownPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, connectionTimeoutMillis: 10_000, max: 4 });
  // An idle client whose server went away: reported by the query that next needs it, not by a crash.
  if (ownPool) pool.on('error', () => {});
  const migrated = migrateOnce(() => migrate(pool, { schema }));
  const ready = (): Promise<void> => (options.migrate === false ? Promise.resolve() : migrated());

  const write: RolloutStore['write'] = async (experiment, change) => {
    await ready();
    const client = await pool.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        await client.query('begin');
        const { rows } = await client.query<Row>(`select * from ${s}.rollouts where experiment = $1 for update`, [experiment]);
        const previous = rows[0] ? recordOf(rows[0]) : null;
        checkExpected(experiment, change, previous);
        const record = nextRecord(change, previous);
        const values = [experiment, record.rollout, record.enabled, record.version, record.updatedAt, record.actor, record.phase, record.reason];
        const written = previous
          ? await client.query(`update ${s}.rollouts set rollout = $2, enabled = $3, version = $4, updated_at = $5, actor = $6, phase = $7, reason = $8 where experiment = $1`, values)
          : await client.query(`insert into ${s}.rollouts (experiment, rollout, enabled, version, updated_at, actor, phase, reason) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing`, values);
        if (written.rowCount === 0) {
          await client.query('rollback'); // another writer created the row first: compare against it
          if (attempt >= 3) throw new Error(`${experiment}: the rollout row kept changing under the write; nothing was written`);
          continue;
        }
        const entry = changeOf(experiment, record, previous);
        await client.query(
          `insert into ${s}.rollout_history (experiment, version, at, actor, from_rollout, from_enabled, to_rollout, to_enabled, phase, reason) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [experiment, entry.version, entry.at, entry.actor, entry.from?.rollout ?? null, entry.from?.enabled ?? null, entry.to.rollout, entry.to.enabled, entry.phase, entry.reason],
        );
        await client.query('commit');
        return { record, previous };
      }
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  const watch: RolloutStore['watch'] = (onChange, onError) => {
    let closed = false;
    let listener: pg.Client | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const connect = async (): Promise<void> => {
      if (closed) return;
      const client = new pg.Client({ ...(pool.options as pg.ClientConfig), application_name: `bucketry-live-listen:${schema}` });
      listener = client;
      let dropped = false;
      const drop = (error: unknown): void => {
        if (dropped || closed) return;
        dropped = true;
        onError(error instanceof Error ? error : new Error(`the PostgreSQL listener's connection ended`));
        client.end().catch(() => {});
        failures++;
        timer = quietTimer(() => void connect(), backoffDelay(failures, options.reconnectDelay ?? 500, 30_000));
      };
      client.on('error', drop);
      client.on('end', () => drop(new Error(`the PostgreSQL listener's connection ended; reconnecting`)));
      client.on('notification', () => onChange());
      try {
        await client.connect();
        await client.query(`listen "${channelOf(schema)}"`);
        failures = 0;
        onChange(); // changes made while not listening were never notified: read again
      } catch (error) {
        drop(error);
      }
    };
    void connect();
    return async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      await listener?.end().catch(() => {});
    };
  };

  return {
    kind: 'postgres',
    async read() {
      await ready();
      const { rows } = await pool.query<Row>(`select * from ${s}.rollouts order by experiment`);
      return { rollouts: Object.fromEntries(rows.map((row) => [row.experiment, recordOf(row)])) };
    },
    write,
    async history(experiment) {
      await ready();
      const { rows } = await pool.query(`select * from ${s}.rollout_history where experiment = $1 order by id`, [experiment]);
      return rows.map(
        (row): RolloutChange => ({
          experiment: row.experiment, version: row.version, at: row.at.toISOString(), actor: row.actor,
          from: row.from_rollout === null ? null : { rollout: row.from_rollout, enabled: row.from_enabled },
          to: { rollout: row.to_rollout, enabled: row.to_enabled }, phase: row.phase, reason: row.reason,
        }),
      );
    },
    watch,
    close: async () => {
      if (ownPool) await pool.end();
    },
  };
}
