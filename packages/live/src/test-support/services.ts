import pg from 'pg';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../../test-support/postgres-kit.js';

export { POSTGRES_URL, uniqueName };
/** The Redis every test talks to. */
export const REDIS_URL = process.env.BUCKETRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const { dropSchema } = postgresKit(pg);

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
