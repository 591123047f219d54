import pg from 'pg';

/** The PostgreSQL every test talks to (scripts/ensure-services.mjs starts it). */
export const POSTGRES_URL = process.env.BUCKETRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Redis every test talks to. */
export const REDIS_URL = process.env.BUCKETRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A name no other test file or run uses: `<label>_<pid>_<random>`. */
export const uniqueName = (label: string): string => `${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

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

/**
 * Waits until `condition` holds (checked every 20 ms), failing with `what` after `timeout` ms.
 * Tests wait for what they need, never for a fixed time.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
