import type { Bucketry } from '@bucketry/core';
import { runSource } from './live-source.js';
import type { LiveSource, SourceOptions } from './source-options.js';
import type { RolloutStore } from './store.js';

/**
 * Keeps a client's experiments current from a rollout store: the file store (its directory
 * watched), PostgreSQL (`LISTEN/NOTIFY`), Redis (pub/sub), or your own {@link RolloutStore}.
 * Each push reads the store at once; a poll (default every 30 s, jittered) covers a lost push.
 * Each read is merged with `options.base` ({@link mergeRollouts}) and handed to `bucketry.update`.
 * When the store cannot be read or sends something invalid, the last good set stays in force, the
 * client's status turns stale with the reason, `onError` is told, and it retries with backoff.
 * Assignments never wait for it. `close()` closes the store too.
 *
 * @example
 * ```ts
 * import { createBucketry } from '@bucketry/core';
 * import { createFileStore, createStoreSource, lastKnownGoodFile } from '@bucketry/live';
 *
 * const base = [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 }];
 * const bucketry = createBucketry({ experiments: base });
 * const source = createStoreSource(bucketry, createFileStore({ path: 'rollouts.json' }), {
 *   base,
 *   lastKnownGood: lastKnownGoodFile('.cache/bucketry-rollouts.json'),
 *   onError: (error, { source, stage }) => console.warn(`bucketry ${source} ${stage}:`, error),
 * });
 * await source.start();
 * ```
 */
export function createStoreSource(bucketry: Bucketry, store: RolloutStore, options: SourceOptions): LiveSource {
  return runSource(
    bucketry,
    { name: store.kind, load: () => store.read(), watch: (onChange, onError) => store.watch(onChange, onError), close: () => store.close() },
    options,
  );
}
