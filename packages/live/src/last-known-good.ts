import { mkdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { replaceFile } from './replace-file.js';
import type { SnapshotBackup } from './source-options.js';

/**
 * A last-known-good copy in a local file: a source writes it (by rename, so it is never half
 * written) after each good load that changed something, and reads it at start when its store
 * cannot be reached, so a restart during an outage serves the last good rollout instead of the
 * base configs. Pass the same helper as `bootstrap` to read a file shipped with the deploy.
 *
 * @example
 * ```ts
 * import { createPostgresStore, createStoreSource, lastKnownGoodFile } from '@bucketry/live';
 *
 * const source = createStoreSource(bucketry, createPostgresStore({ connectionString }), {
 *   base,
 *   lastKnownGood: lastKnownGoodFile('/var/cache/app/bucketry-rollouts.json'),
 * });
 * ```
 */
export function lastKnownGoodFile(path: string): Required<SnapshotBackup> {
  const file = resolve(path);
  return {
    async read() {
      try {
        return await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      await mkdir(dirname(file), { recursive: true });
      await replaceFile(file, `${text}\n`);
    },
  };
}
