import { openStore, type RolloutRecord } from '@bucketry/live';
import { Redis } from 'ioredis';
import { createRequire } from 'node:module';
import { deleteKeys, dropSchema, POSTGRES_URL, REDIS_URL, uniqueName } from '../../../../test-support/scratch-stores.mjs';

/** What these helpers use of pg (a devDependency of the example; its types are not installed here). */
interface PgClient {
  connect(): Promise<void>;
  query<R>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
const pg = createRequire(import.meta.url)('pg') as { Client: new (options: { connectionString: string }) => PgClient };

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

/**
 * A rollout store of the kind for one test (or one runbook): its own PostgreSQL schema or Redis
 * key prefix, or `file:<filePath>`. Call `cleanup()` when done.
 */
export function testStore(kind: StoreKind, label: string, filePath?: string): TestStore {
  if (kind === 'postgres') {
    const schema = uniqueName(label);
    return { kind, name: schema, url: `${POSTGRES_URL}?schema=${schema}`, cleanup: () => dropSchema(pg, schema) };
  }
  if (kind === 'redis') {
    const prefix = `${uniqueName(label)}:`;
    return { kind, name: prefix, url: `${REDIS_URL}?prefix=${prefix}`, cleanup: () => deleteKeys(Redis, prefix) };
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

/** The record the store holds for `experiment` now (undefined: none), read as an instance reads it. */
export async function storedRecord(store: TestStore, experiment: string): Promise<RolloutRecord | undefined> {
  const opened = openStore(store.url);
  try {
    return (await opened.read()).rollouts[experiment];
  } finally {
    await opened.close();
  }
}
