// The same helpers as @bucketry/express's test-support/postgres.ts (pg resolves from each package, not from the root).
import pg from 'pg';

/** The PostgreSQL the sticky tests talk to (scripts/ensure-services.mjs starts it). */
export const POSTGRES_URL = process.env.BUCKETRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema no other test file or run uses. */
export const uniqueSchema = (label: string): string => `${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** Drops a test's schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A pool whose `query` calls are counted by their first word (`select`, `insert`, …): each is one round trip. */
export function countingPool(config: pg.PoolConfig = { connectionString: POSTGRES_URL }) {
  const pool = new pg.Pool({ max: 4, ...config });
  const queries: string[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    queries.push(String(args[0]).trim().split(/\s+/)[0]!.toLowerCase());
    return query(...args);
  }) as typeof pool.query;
  return { pool, queries, count: (word: string) => queries.filter((q) => q === word).length };
}
