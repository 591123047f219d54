import { ExperimentConfigError } from '@bucketry/core';
import pg from 'pg';
import { migrateOnce } from './postgres-migration.js';
import { schemaName } from './postgres-schema.js';
import { stickySettings, type LiveStickyStore, type StickyStoreOptions } from './sticky-options.js';
import { migrateStickyTable, STICKY_TABLE } from './sticky-postgres-schema.js';
import type { StickyWrite } from './sticky-queue.js';
import { createStickyStore, type StickyRecord } from './sticky-store.js';

/**
 * Options of {@link createPostgresStickyStore}: a connection string or a pool of your own, the
 * schema, and what every sticky store takes ({@link StickyStoreOptions}).
 *
 * @example
 * ```ts
 * const options: PostgresStickyStoreOptions = { connectionString: process.env.DATABASE_URL, schema: 'bucketry', loadTimeout: 200 };
 * ```
 */
export interface PostgresStickyStoreOptions extends StickyStoreOptions {
  readonly connectionString?: string;
  /** Your pool (not ended by `close`). Without either, pg reads the `PG*` environment variables. */
  readonly pool?: pg.Pool;
  /** The schema of the `experiment_assignments` table: lowercase letters, digits, `_`. Default `bucketry`. */
  readonly schema?: string;
  /** Create the table (see {@link PostgresStickyStore.migrate}) before the first query. Default `true`. */
  readonly migrate?: boolean;
}

/**
 * A {@link LiveStickyStore} in PostgreSQL, with the migration of its table.
 *
 * @example
 * ```ts
 * const sticky: PostgresStickyStore = createPostgresStickyStore({ connectionString: process.env.DATABASE_URL, migrate: false });
 * await sticky.migrate(); // at deploy time, say
 * ```
 */
export interface PostgresStickyStore extends LiveStickyStore {
  /**
   * Creates `<schema>.experiment_assignments` (unit, experiment, variant, config_version,
   * assigned_at; primary key (unit, experiment)) if it is missing. Safe to run at every start and
   * from several instances at once.
   */
  migrate(): Promise<void>;
}

const CONTEXT = 'createPostgresStickyStore';

// PostgreSQL's text cannot hold U+0000; such a record would fail its whole batch on every retry.
const unstorable = (text: string): string | undefined => (text.includes('\u0000') ? 'must not contain U+0000 (PostgreSQL text cannot hold it)' : undefined);

/**
 * Sticky assignments in PostgreSQL's `experiment_assignments` table, for core's synchronous
 * assignment path. `await sticky.load(unit)` before assigning reads all of a unit's records (every
 * experiment) with one query into an LRU cache, which also serves the unit's later requests with
 * none; `get` and `set` work on the cache; records set are written in batches by one
 * `insert … on conflict` per batch. A record is written only where the table has none for the unit
 * and experiment, or over the variant this instance loaded: a unit bucketed while its records could
 * not be read never overwrites them. When PostgreSQL is down, `load` resolves within `loadTimeout`
 * with nothing loaded and units are bucketed plainly; failed batches are retried with backoff;
 * everything is reported to `onError` and counted in `stats()`.
 *
 * @example
 * ```ts
 * import { createBucketry } from '@bucketry/core';
 * import { createPostgresStickyStore, flushOnSignal } from '@bucketry/live';
 *
 * const sticky = createPostgresStickyStore({
 *   connectionString: process.env.DATABASE_URL,
 *   configVersion: (key) => bucketry.experiment(key).version,
 *   onError: (error, context) => console.warn('bucketry sticky', context, error),
 * });
 * const bucketry = createBucketry({ experiments, sticky });
 * flushOnSignal([sticky, bucketry]);
 *
 * await sticky.load(userId);                                  // one query, before assigning
 * const { variant } = bucketry.assign('skill_tree_layout', userId);
 * ```
 */
export function createPostgresStickyStore(options: PostgresStickyStoreOptions): PostgresStickyStore {
  if (options === null || typeof options !== 'object') throw new ExperimentConfigError('options', options, 'must be an object', CONTEXT);
  const settings = stickySettings(options, CONTEXT, 'postgres');
  if (options.connectionString !== undefined && typeof options.connectionString !== 'string') {
    throw new ExperimentConfigError('connectionString', options.connectionString, 'must be a string when given', CONTEXT);
  }
  if (options.pool !== undefined && options.connectionString !== undefined) {
    throw new ExperimentConfigError('connectionString', options.connectionString, 'must not be given with a pool: give one of them', CONTEXT);
  }
  const schema = schemaName(options.schema ?? 'bucketry');
  const table = `"${schema}".${STICKY_TABLE}`;
  const ownPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, connectionTimeoutMillis: 5_000, max: 10 });
  // An idle client whose server went away: reported by the query that next needs it, not by a crash.
  if (ownPool) pool.on('error', () => {});

  const migrate = migrateOnce(() => migrateStickyTable(pool, schema));
  const ready = (): Promise<void> => (options.migrate === false ? Promise.resolve() : migrate());

  const load = async (units: readonly string[]): Promise<StickyRecord[]> => {
    await ready();
    const { rows } = await pool.query<StickyRecord>(`select unit, experiment, variant from ${table} where unit = any($1::text[])`, [units]);
    return rows;
  };

  // One statement per batch. A row the table already holds is overwritten only when it still has
  // the variant the record replaces (`replaces`, null for a first record): compare-and-set.
  const write = async (batch: readonly StickyWrite[]): Promise<number> => {
    await ready();
    const column = <T>(pick: (write: StickyWrite) => T): T[] => batch.map(pick);
    const result = await pool.query(
      `with input as (
        select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
          as i(unit, experiment, variant, config_version, assigned_at, replaces)
      )
      insert into ${table} as t (unit, experiment, variant, config_version, assigned_at)
      select unit, experiment, variant, config_version, assigned_at from input
      on conflict (unit, experiment) do update
        set variant = excluded.variant, config_version = excluded.config_version, assigned_at = excluded.assigned_at
        where t.variant = (select i.replaces from input i where i.unit = excluded.unit and i.experiment = excluded.experiment)`,
      [
        column((w) => w.unit),
        column((w) => w.experiment),
        column((w) => w.variant),
        column((w) => w.configVersion),
        column((w) => w.assignedAt.toISOString()),
        column((w) => w.replaces ?? null),
      ],
    );
    return result.rowCount ?? 0;
  };

  const store = createStickyStore(
    { kind: 'postgres', load, write, unstorable, close: async () => void (ownPool ? await pool.end() : undefined) },
    settings,
  );
  return Object.assign(store, { migrate });
}
