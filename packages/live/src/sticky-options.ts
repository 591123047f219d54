import { ExperimentConfigError, type StickyStore, type Unit } from '@bucketry/core';

/**
 * What a sticky store tells `onError`: the stage that failed, and how many records it concerns.
 * - `load`: a load failed or timed out; the units were assigned without their records
 * - `write`: one attempt to write a batch failed; it is retried with backoff
 * - `drop`: records will never be written: the queue was full (`queue_full`), the store was
 *   closed first (`closed`), or the store cannot hold the text (`unstorable`)
 * - `version`: `configVersion` threw; records are written without a version meanwhile
 *
 * @example
 * ```ts
 * const onError = (error: unknown, context: StickyErrorContext) => {
 *   if (context.stage === 'drop') metrics.increment('sticky.dropped', context.records ?? 1, { reason: context.reason });
 *   else log.warn({ error, ...context }, 'bucketry sticky store');
 * };
 * ```
 */
export interface StickyErrorContext {
  /** `postgres` or `redis`. */
  readonly store: string;
  readonly stage: 'load' | 'write' | 'drop' | 'version';
  /** How many records (`write`, `drop`) or units (`load`) it concerns. */
  readonly records?: number;
  /** Why records were dropped (`drop` only). */
  readonly reason?: 'queue_full' | 'closed' | 'unstorable';
}

/**
 * What every sticky store takes: the cache, the load timeout, the write batching and where
 * failures go. Anything invalid throws an `ExperimentConfigError` naming the field, the value and the rule.
 *
 * @example
 * ```ts
 * const options: StickyStoreOptions = {
 *   cacheSize: 50_000,
 *   loadTimeout: 200,
 *   batchSize: 500,
 *   flushInterval: 250,
 *   configVersion: (experiment) => bucketry.experiment(experiment).version,
 *   onError: (error, context) => log.warn({ error, ...context }, 'bucketry sticky store'),
 * };
 * ```
 */
export interface StickyStoreOptions {
  /** Units whose records the cache keeps, least recently loaded out first. Default 10,000. */
  readonly cacheSize?: number;
  /** `load` resolves after this many ms even when the store has not answered. Default 300. */
  readonly loadTimeout?: number;
  /** Records per write. A batch is written once it is full, or `flushInterval` after it started. Default 500. */
  readonly batchSize?: number;
  /** The longest a record waits before its batch is written, in ms. Default 200. */
  readonly flushInterval?: number;
  /** Records waiting to be written, at most; a record set beyond it is dropped (counted and reported). Default 50,000. */
  readonly maxQueue?: number;
  /** The wait before a failed batch is retried, in ms; doubled per failure, with jitter. Default 200. */
  readonly retryDelay?: number;
  /** The longest wait before a retry, in ms. Default 30,000. */
  readonly maxRetryDelay?: number;
  /** A write that has not settled after this many ms counts as failed (and is retried). Default 10,000. */
  readonly writeTimeout?: number;
  /** The config version written with each record (the `config_version` column), e.g. `(key) => bucketry.experiment(key).version`. */
  readonly configVersion?: (experiment: string) => string | undefined;
  /** Told about every failed load, failed write attempt and dropped record. Never rethrown. Default: `console.warn`. */
  readonly onError?: (error: unknown, context: StickyErrorContext) => void;
}

/**
 * Counters of a sticky store, for health checks and metrics. All are totals since it was
 * created, except `cached` and `queued`, which are counts now.
 *
 * @example
 * ```ts
 * const { hits, misses, dropped, failedBatches } = store.stats();
 * metrics.gauge('sticky.hit_ratio', hits / Math.max(1, hits + misses));
 * ```
 */
export interface StickyStats {
  /** Units whose records were read from the store. */
  readonly loaded: number;
  /** Units `load` found in the cache: no round trip. */
  readonly hits: number;
  /** Units `load` had to read (or could not, when the store failed). */
  readonly misses: number;
  /** Units in the cache now. */
  readonly cached: number;
  /** Records the store now holds because of this instance. */
  readonly written: number;
  /** Records not written because the store already held another for that unit and experiment (it wins). */
  readonly kept: number;
  /** Records waiting to be written now, in flight included. */
  readonly queued: number;
  /** Records that will never be written: queue full, closed first, or text the store cannot hold. */
  readonly dropped: number;
  /** Batches written. */
  readonly batches: number;
  /** Write attempts that failed or timed out (each batch is retried). */
  readonly failedBatches: number;
  /** Loads that failed or timed out. */
  readonly failedLoads: number;
  /** Loads not sent because the store had just failed (it is tried again after a backoff). */
  readonly skippedLoads: number;
}

/**
 * A sticky store backed by a database, for core's synchronous assignment path: `load` reads
 * the units of a request into a cache in one round trip, `get` and `set` work on that cache,
 * and `set` queues the record, which is written in batches in the background.
 *
 * @example
 * ```ts
 * const sticky: LiveStickyStore = createPostgresStickyStore({ connectionString: process.env.DATABASE_URL });
 * const bucketry = createBucketry({ experiments, sticky });
 * await sticky.load(userId);                       // before assigning, once per request
 * bucketry.assign('skill_tree_layout', userId);    // reason 'sticky' for a returning unit
 * ```
 */
export interface LiveStickyStore extends StickyStore {
  /** `postgres` or `redis`. */
  readonly kind: string;
  /**
   * Reads the records of these units (every experiment) into the cache, in one round trip for
   * all units not cached yet. Resolves, never rejects: after `loadTimeout` at the latest, with
   * nothing loaded when the store failed (then `onError` is told and units are bucketed plainly).
   */
  load(units: Unit | null | undefined | readonly (Unit | null | undefined)[]): Promise<void>;
  /** The variant recorded for a unit's canonical key (see core's `unitKey`), from the cache. */
  get(unit: string, experiment: string): string | undefined;
  /** Records a variant: in the cache at once, in the store with the next batch. Never throws. */
  set(unit: string, experiment: string, variant: string): void;
  /** Resolves once the records queued before the call are written, or after `timeout` ms (default 5,000; they stay queued). Never rejects. */
  flush(timeout?: number): Promise<void>;
  /** Flushes (for up to `timeout` ms, default 5,000), drops and reports what is left, and closes its connections. Never rejects. */
  close(timeout?: number): Promise<void>;
  stats(): StickyStats;
}

/** {@link StickyStoreOptions} with every default filled in and every value checked. */
export interface StickySettings {
  readonly cacheSize: number;
  readonly loadTimeout: number;
  readonly batchSize: number;
  readonly flushInterval: number;
  readonly maxQueue: number;
  readonly retryDelay: number;
  readonly maxRetryDelay: number;
  readonly writeTimeout: number;
  readonly configVersion: ((experiment: string) => string | undefined) | undefined;
  readonly report: (error: unknown, context: StickyErrorContext) => void;
}

// setTimeout fires at once for longer delays.
const MAX_MS = 2_147_483_647;

const whole = (context: string, options: Record<string, unknown>, field: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  const value = options[field];
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    const rule = max === Number.MAX_SAFE_INTEGER ? `must be a whole number >= ${min}` : `must be a whole number from ${min} to ${max}`;
    throw new ExperimentConfigError(field, value, rule, context);
  }
  return value as number;
};

/** Checks the options every sticky store takes; `context` (the function's name) starts each error message. */
export function stickySettings(options: StickyStoreOptions, context: string, kind: string): StickySettings {
  const all = options as Record<string, unknown>;
  const fn = (field: string): void => {
    if (all[field] !== undefined && typeof all[field] !== 'function') throw new ExperimentConfigError(field, all[field], 'must be a function when given', context);
  };
  fn('configVersion');
  fn('onError');
  const retryDelay = whole(context, all, 'retryDelay', 200, 1, MAX_MS);
  const maxRetryDelay = whole(context, all, 'maxRetryDelay', Math.max(30_000, retryDelay), 1, MAX_MS);
  if (maxRetryDelay < retryDelay) throw new ExperimentConfigError('maxRetryDelay', maxRetryDelay, `must be at least retryDelay (${retryDelay})`, context);
  const onError = options.onError;
  return {
    cacheSize: whole(context, all, 'cacheSize', 10_000, 1),
    loadTimeout: whole(context, all, 'loadTimeout', 300, 1, MAX_MS),
    batchSize: whole(context, all, 'batchSize', 500, 1, 10_000),
    flushInterval: whole(context, all, 'flushInterval', 200, 0, MAX_MS),
    maxQueue: whole(context, all, 'maxQueue', 50_000, 1),
    retryDelay,
    maxRetryDelay,
    writeTimeout: whole(context, all, 'writeTimeout', 10_000, 1, MAX_MS),
    configVersion: options.configVersion,
    report: (error, where) => {
      try {
        if (onError) onError(error, where);
        else console.warn(`@bucketry/live: sticky ${kind} ${where.stage}:`, error); // never lost silently
      } catch {
        // A handler that throws must not break an assignment or the writer.
      }
    },
  };
}

/** A timeout as `flush` and `close` take it: 5,000 ms unless given. */
export function timeoutArgument(value: unknown, method: string): number {
  if (value === undefined) return 5_000;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > MAX_MS) {
    throw new ExperimentConfigError('timeout', value, `must be a whole number of ms from 0 to ${MAX_MS}`, method);
  }
  return value as number;
}
