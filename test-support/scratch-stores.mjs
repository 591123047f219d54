// Scratch space in the PostgreSQL and Redis that the tests and the benches talk to
// (scripts/ensure-services.mjs starts them): their URLs, a name no other test file or run uses,
// and removing what one made under it. Plain JavaScript so that the benches (node, no TypeScript)
// share it with the tests (postgres-kit.ts types it). The drivers are passed in: pg and ioredis
// resolve from each caller's package, not from the repository root, where this file lives.

/** The PostgreSQL database of the tests. */
export const POSTGRES_URL = process.env.BUCKETRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Redis of the tests. */
export const REDIS_URL = process.env.BUCKETRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A name (a schema, a key prefix) no other test file or run uses: `<label>_<pid>_<random>`. */
export const uniqueName = (label) => `${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** Drops a schema and everything in it, on a connection of its own made with `pg` (the caller's driver). */
export async function dropSchema(pg, schema) {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Deletes every key under `prefix`, on a connection of its own made with ioredis's `Redis` (the caller's). */
export async function deleteKeys(Redis, prefix) {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
