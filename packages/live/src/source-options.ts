import type { ExperimentJSON } from '@bucketry/core';

/**
 * Where a source keeps its last-known-good copy, or reads a bootstrap: text in, text out.
 * {@link lastKnownGoodFile} keeps it in a local file; anything with the two methods works.
 *
 * @example
 * ```ts
 * const memory: SnapshotBackup = { read: async () => saved, write: async (text) => void (saved = text) };
 * ```
 */
export interface SnapshotBackup {
  /** The saved snapshot's JSON text, or `undefined` when there is none. */
  read(): Promise<string | undefined>;
  write?(text: string): Promise<void>;
}

/**
 * What every source takes.
 *
 * @example
 * ```ts
 * const options: SourceOptions = {
 *   base: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 0 }],
 *   pollInterval: 30_000,
 *   lastKnownGood: lastKnownGoodFile('/var/cache/app/bucketry-rollouts.json'),
 *   onError: (error, context) => log.warn({ error, ...context }, 'bucketry live config'),
 * };
 * ```
 */
export interface SourceOptions {
  /** The experiments' base configs (from code or a file); the store's records are applied to them. */
  readonly base: readonly ExperimentJSON[];
  /** How often to read the store even without a push, in ms (±`jitter`). Default 30,000. */
  readonly pollInterval?: number;
  /** The share of the interval by which each wait moves at random. Default 0.1. */
  readonly jitter?: number;
  /** The first wait after a failure, in ms; doubled per failure, with jitter. Default 1,000. */
  readonly retryDelay?: number;
  /** The longest wait after failures, in ms. Default 300,000. */
  readonly maxRetryDelay?: number;
  /** A load that takes longer fails, in ms. Default 10,000. */
  readonly loadTimeout?: number;
  /** Written after each good load; read at start when the store cannot be reached. */
  readonly lastKnownGood?: SnapshotBackup;
  /** Read at start when the store cannot be reached and there is no last-known-good copy. */
  readonly bootstrap?: SnapshotBackup;
  /** Told about every failure: loads, invalid data, records for unknown experiments, the push channel, backups. Never rethrown. Default: `console.warn`. */
  readonly onError?: (error: unknown, context: { readonly source: string; readonly stage: 'load' | 'invalid' | 'unknown' | 'watch' | 'backup' }) => void;
}

/**
 * A running configuration source: it delivers sets to a client until closed.
 *
 * @example
 * ```ts
 * const source: LiveSource = createStoreSource(bucketry, store, { base });
 * await source.start();
 * process.on('SIGTERM', () => void source.close());
 * ```
 */
export interface LiveSource {
  /** `file`, `postgres`, `redis` or `http`: what `bucketry.status().source` says after its loads. */
  readonly name: string;
  /**
   * Loads once (or, when the store cannot be reached, applies the last-known-good copy or the
   * bootstrap) and starts listening and polling. Resolves either way; never rejects.
   */
  start(): Promise<void>;
  /** Reads now, outside the schedule. Resolves `true` when a good set is in force from this read. */
  refresh(): Promise<boolean>;
  /** Stops polling and listening, and closes what the source opened. */
  close(): Promise<void>;
}
