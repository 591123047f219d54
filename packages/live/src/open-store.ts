import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileStore } from './file-store.js';
import { createPostgresStore } from './postgres-store.js';
import { createRedisStore } from './redis-store.js';
import type { RolloutStore } from './store.js';

/**
 * Opens the store a URL names: `file:<path>` (relative to `cwd`) or `file:///absolute/path`,
 * `postgres://…` or `postgresql://…` (`?schema=name`, default `bucketry`), `redis://…` or
 * `rediss://…` (`?prefix=name:`, default `bucketry:`). Anything else throws a `TypeError` that
 * lists the forms.
 *
 * @example
 * ```ts
 * import { openStore, setRollout } from '@bucketry/live';
 *
 * const store = openStore(process.env.BUCKETRY_STORE ?? 'file:rollouts.json');
 * try {
 *   await setRollout(store, 'skill_tree_layout', { percent: 10 });
 * } finally {
 *   await store.close();
 * }
 * ```
 */
export function openStore(url: string, cwd: string = process.cwd()): RolloutStore {
  if (typeof url === 'string' && url.startsWith('file:')) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : resolve(cwd, url.slice('file:'.length));
    if (!url.slice('file:'.length)) throw new TypeError('store file:<path> needs a path, got "file:"');
    return createFileStore({ path });
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // listed below
  }
  if (parsed && (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:')) {
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return createPostgresStore({ connectionString: parsed.toString(), schema });
  }
  if (parsed && (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:')) {
    const prefix = parsed.searchParams.get('prefix') ?? undefined;
    parsed.searchParams.delete('prefix');
    return createRedisStore({ url: parsed.toString(), prefix });
  }
  const shown = typeof url === 'string' ? JSON.stringify(url.replace(/\/\/[^@/]*@/, '//…@')) : String(url);
  throw new TypeError(`store must be file:<path>, postgres://… (?schema=name) or redis://… (?prefix=name:), got ${shown}`);
}
