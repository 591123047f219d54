import { ExperimentConfigError } from '@bucketry/core';
import type pg from 'pg';
import { migrateLocked } from './postgres-migration.js';
import { schemaName } from './postgres-schema.js';

/** The default table: the one `bucketry guard`'s PostgreSQL source reads by default (`bucketry.events`). */
export const EVENTS_TABLE = 'events';

/**
 * A schema or table name of createPostgresSink (written into SQL): the rule of every schema name
 * of this package, as an ExperimentConfigError naming the field.
 */
export function sinkName(field: 'schema' | 'table', value: unknown): string {
  try {
    return schemaName(value);
  } catch {
    throw new ExperimentConfigError(field, value, 'must be lowercase letters, digits and _, not starting with a digit, up to 48 characters', 'createPostgresSink');
  }
}

/**
 * Creates `<schema>.<table>` if it is missing: one row per event, keyed by its id, with the
 * columns the analysis and `bucketry guard` read, and an index for reading by time (the guard's
 * watermark is `(timestamp, event_id)`). Safe to run at every start and from several instances at
 * once (it takes an advisory lock).
 */
export async function migrateEventsTable(pool: pg.Pool | pg.Client, schema: string, table: string): Promise<void> {
  const s = `"${schema}"`;
  await migrateLocked(pool, `bucketry-live-events-migrate:${schema}.${table}`, [
    `create schema if not exists ${s}`,
    `create table if not exists ${s}."${table}" (
      event_id text primary key,
      event text not null,
      "timestamp" timestamptz not null,
      unit text not null,
      experiment text,
      variant text,
      reason text,
      bucket integer,
      config_version text,
      properties jsonb,
      received_at timestamptz not null default now()
    )`,
    `create index if not exists "${table}_by_time" on ${s}."${table}" ("timestamp", event_id)`,
    `create index if not exists "${table}_by_experiment" on ${s}."${table}" (experiment, "timestamp") where experiment is not null`,
  ]);
}
