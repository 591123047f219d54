import type pg from 'pg';

/**
 * Runs `statements` in one transaction that holds the advisory lock named `lock`: instances that
 * start together migrate one after the other, and a failed statement leaves nothing half made.
 * Takes a pool (a connection is borrowed and given back) or a client of the caller's.
 */
export async function migrateLocked(pool: pg.Pool | pg.Client, lock: string, statements: readonly string[]): Promise<void> {
  const client = 'release' in pool || !('totalCount' in pool) ? pool : await (pool as pg.Pool).connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [lock]);
    for (const statement of statements) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    if (client !== pool) (client as pg.PoolClient).release();
  }
}

/** `migrate` run once, its promise shared by every caller; after a failure, the next call runs it again. */
export function migrateOnce(migrate: () => Promise<void>): () => Promise<void> {
  let migrated: Promise<void> | undefined;
  return () =>
    (migrated ??= migrate().catch((error: unknown) => {
      migrated = undefined; // try again next time
      throw error;
    }));
}
