import type pg from 'pg';
import { migrateLocked } from './postgres-migration.js';
import { schemaName } from './postgres-schema.js';

/** The table the experiment template persists sticky assignments in. */
export const STICKY_TABLE = 'experiment_assignments';

/**
 * Creates `<schema>.experiment_assignments` if it is missing: one row per unit and experiment
 * (the primary key), with the variant, the config version it was assigned under and when. Safe to
 * run at every start and from several instances at once (it takes an advisory lock).
 */
export async function migrateStickyTable(pool: pg.Pool, schema: string): Promise<void> {
  const s = `"${schemaName(schema)}"`;
  await migrateLocked(pool, `bucketry-live-sticky-migrate:${schema}`, [
    `create schema if not exists ${s}`,
    `create table if not exists ${s}.${STICKY_TABLE} (
      unit text not null,
      experiment text not null,
      variant text not null,
      config_version text,
      assigned_at timestamptz not null default now(),
      primary key (unit, experiment)
    )`,
  ]);
}
