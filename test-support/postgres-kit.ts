// The PostgreSQL helpers every package's database tests share. `pg` is passed in: it resolves
// from each package's own dependencies, not from the repository root, where this file lives.
// The URL, the unique names and the dropping are scratch-stores.mjs's (the benches use it too).
import { dropSchema as dropSchemaWith, POSTGRES_URL as TEST_POSTGRES_URL, uniqueName as uniqueScratchName } from './scratch-stores.mjs';

/** What the helpers use of `pg` (described here: the root cannot resolve the package's types). */
interface PgClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<unknown>;
}
interface PgPool {
  query: (...args: never[]) => unknown;
}
interface Pg {
  Client: new (config: { connectionString: string }) => PgClient;
  Pool: new (config: object) => PgPool;
}

/** The PostgreSQL the tests talk to (scripts/ensure-services.mjs starts it). */
export const POSTGRES_URL: string = TEST_POSTGRES_URL;

/** A name (a schema, a key prefix) no other test file or run uses: `<label>_<pid>_<random>`. */
export const uniqueName: (label: string) => string = uniqueScratchName;

/** Helpers bound to the caller's `pg`: dropping a test's schema, and a pool that counts its round trips. */
export function postgresKit<P extends Pg>(driver: P) {
  /** Drops a test's schema and everything in it. */
  const dropSchema = (schema: string): Promise<void> => dropSchemaWith(driver, schema);

  /**
   * A pool whose `query` calls are listed, each one round trip: `statements` their text (trimmed),
   * `queries` their first word (`select`, `insert`, …), which `count` counts.
   */
  function countingPool(config: object = { connectionString: POSTGRES_URL }) {
    const pool = new driver.Pool({ max: 4, ...config }) as InstanceType<P['Pool']>;
    const statements: string[] = [];
    const queries: string[] = [];
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      const statement = String(args[0]).trim();
      statements.push(statement);
      queries.push(statement.split(/\s+/)[0]!.toLowerCase());
      return query(...args);
    }) as typeof pool.query;
    return { pool, statements, queries, count: (word: string) => queries.filter((q) => q === word).length };
  }

  return { dropSchema, countingPool };
}
