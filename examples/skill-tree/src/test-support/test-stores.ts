import { Redis } from 'ioredis';
import { createRequire } from 'node:module';

/** What these helpers use of pg (a devDependency of the example; its types are not installed here). */
interface PgClient {
  connect(): Promise<void>;
  query<R>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
const pg = createRequire(import.meta.url)('pg') as { Client: new (options: { connectionString: string }) => PgClient };

/** The PostgreSQL and Redis the tests talk to (scripts/ensure-services.mjs starts them). */
export const POSTGRES_URL = process.env.BUCKETRY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BUCKETRY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type StoreKind = 'file' | 'postgres' | 'redis';

export interface TestStore {
  readonly kind: StoreKind;
  /** The BUCKETRY_STORE URL: a file in the caller's directory, a schema or a key prefix of this test's own. */
  readonly url: string;
  /** The schema (postgres) or key prefix (redis) this store lives under; the file's path for file. */
  readonly name: string;
  /** Drops the schema, deletes the keys; a file store goes with the caller's directory. */
  cleanup(): Promise<void>;
}

/** A name no other test, file or run uses. */
const unique = (label: string) => `${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/**
 * A rollout store of the kind for one test (or one runbook): its own PostgreSQL schema or Redis
 * key prefix, or `file:<filePath>`. Call `cleanup()` when done.
 */
export function testStore(kind: StoreKind, label: string, filePath?: string): TestStore {
  if (kind === 'postgres') {
    const schema = unique(label);
    return { kind, name: schema, url: `${POSTGRES_URL}?schema=${schema}`, cleanup: () => dropSchema(schema) };
  }
  if (kind === 'redis') {
    const prefix = `${unique(label)}:`;
    return { kind, name: prefix, url: `${REDIS_URL}?prefix=${prefix}`, cleanup: () => deleteKeys(prefix) };
  }
  if (filePath === undefined) throw new Error('testStore: a file store needs the file’s path');
  return { kind, name: filePath, url: `file:${filePath}`, cleanup: async () => {} };
}

/** The names of the connections PostgreSQL (its listeners') or Redis (its subscribers') has open now. */
export async function storeConnectionNames(store: TestStore): Promise<string[]> {
  if (store.kind === 'postgres') {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`select application_name as name from pg_stat_activity where application_name = $1`, [
        `bucketry-live-listen:${store.name}`,
      ]);
      return rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  }
  if (store.kind === 'redis') {
    const redis = new Redis(REDIS_URL);
    try {
      const list = (await redis.client('LIST')) as string;
      return [...list.matchAll(/ name=(\S+)/g)].map((match) => match[1]!).filter((name) => name === `bucketry-live-sub:${store.name}`);
    } finally {
      redis.disconnect();
    }
  }
  return [];
}
