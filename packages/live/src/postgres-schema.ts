import type pg from 'pg';
import { migrateLocked } from './postgres-migration.js';

const SCHEMA = /^[a-z_][a-z0-9_]{0,47}$/;

/** Checks a schema name (it is written into SQL and the NOTIFY channel's name) and quotes it. */
export function schemaName(schema: unknown): string {
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) {
    throw new TypeError(`schema must match ${SCHEMA} (lowercase letters, digits, _; up to 48 characters), got ${JSON.stringify(schema)}`);
  }
  return schema;
}

/** The channel the trigger notifies and sources listen on. */
export const channelOf = (schema: string): string => `${schema}_rollouts`;

/**
 * Creates the rollout store's tables in `schema` (default `bucketry`) if they are missing: `rollouts`
 * (one row per experiment), `rollout_history` (one row per change) and a trigger that sends
 * `NOTIFY <schema>_rollouts` on every change of `rollouts`, whoever makes it. Safe to run at every
 * start and from several instances at once (it takes an advisory lock).
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { migrate } from '@bucketry/live';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool, { schema: 'bucketry' });
 * ```
 */
export async function migrate(pool: pg.Pool | pg.Client, options: { readonly schema?: string } = {}): Promise<void> {
  const schema = schemaName(options.schema ?? 'bucketry');
  const s = `"${schema}"`;
  await migrateLocked(pool, `bucketry-live-migrate:${schema}`, [
    `create schema if not exists ${s}`,
    `create table if not exists ${s}.rollouts (
      experiment text primary key,
      rollout double precision not null check (rollout >= 0 and rollout <= 100),
      enabled boolean not null,
      version integer not null check (version >= 1),
      updated_at timestamptz not null,
      actor text not null,
      phase text,
      reason text,
      config jsonb
    )`,
    `create table if not exists ${s}.rollout_history (
      id bigserial primary key,
      experiment text not null,
      version integer not null,
      at timestamptz not null,
      actor text not null,
      from_rollout double precision,
      from_enabled boolean,
      to_rollout double precision not null,
      to_enabled boolean not null,
      phase text,
      reason text
    )`,
    `create index if not exists rollout_history_by_experiment on ${s}.rollout_history (experiment, id)`,
    `create or replace function ${s}.notify_rollouts() returns trigger language plpgsql as $$
      begin perform pg_notify('${channelOf(schema)}', coalesce(new.experiment, old.experiment)); return null; end $$`,
    `drop trigger if exists rollouts_notify on ${s}.rollouts`,
    `create trigger rollouts_notify after insert or update or delete on ${s}.rollouts for each row execute function ${s}.notify_rollouts()`,
  ]);
}
