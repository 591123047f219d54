import { Redis } from 'ioredis';
import pg from 'pg';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../../test-support/postgres-kit.js';
import { deleteKeys as deleteKeysWith, REDIS_URL } from '../../../../test-support/scratch-stores.mjs';

export { POSTGRES_URL, REDIS_URL, uniqueName };
export const { dropSchema, countingPool } = postgresKit(pg);

/** Deletes every key under a test's prefix. */
export const deleteKeys = (prefix: string): Promise<void> => deleteKeysWith(Redis, prefix);

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
