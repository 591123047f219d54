import type { StickyStore } from '@bucketry/core';
import type { HttpErrorHandler } from './error-context.js';
import { invalidOption } from './option-error.js';

/**
 * A sticky store an adapter can fill before it assigns: core asks `get` and `set` synchronously,
 * during the assignment, so a store backed by a database reads the records of a request's unit
 * into memory first, with `load`, in one round trip for every experiment. `createPostgresStickyStore`
 * and `createRedisStickyStore` from `@bucketry/live` are such stores; any object of this shape is.
 *
 * `load` should resolve, never reject, within a bounded time (the live stores do, within their
 * `loadTimeout`): the request waits for it. A load that throws or rejects anyway is reported
 * (source `sticky`) and the request is assigned without the records.
 *
 * @example
 * ```ts
 * const records = new Map<string, string>(); // `${unit}\u0000${experiment}` → variant
 * const sticky: PreloadingStickyStore = {
 *   load: async (units) => {
 *     for (const row of await db.recordsOf(units)) records.set(`${row.unit}\u0000${row.experiment}`, row.variant);
 *   },
 *   get: (unit, experiment) => records.get(`${unit}\u0000${experiment}`),
 *   set: (unit, experiment, variant) => {
 *     records.set(`${unit}\u0000${experiment}`, variant);
 *     queue.push({ unit, experiment, variant });
 *   },
 * };
 * ```
 */
export interface PreloadingStickyStore extends StickyStore {
  /** Reads the records of these units (canonical keys, see core's `unitKey`), every experiment, before they are assigned. */
  load(units: readonly string[]): Promise<void>;
  /** Writes what it still queues and closes its connections: the adapter's `close()` calls it. */
  close?(): Promise<unknown>;
}

/** Checks the `sticky` option: `undefined`, or an object with `get`, `set` and `load` (and `close`, if any, a function). */
export function checkStickyStore(value: unknown): PreloadingStickyStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Partial<PreloadingStickyStore> | null;
  if (
    store === null ||
    typeof store !== 'object' ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.load !== 'function' ||
    (store.close !== undefined && typeof store.close !== 'function')
  ) {
    invalidOption('sticky', value, 'must be a sticky store with get, set and load(units) functions, such as createPostgresStickyStore() from @bucketry/live');
  }
  return value as PreloadingStickyStore;
}

/**
 * Loads these units' records, reporting a load that throws or rejects (source `sticky`). The
 * promise it returns never rejects.
 */
export function loadUnits(store: PreloadingStickyStore, units: readonly string[], report: HttpErrorHandler): Promise<void> {
  const failed = (error: unknown): void => report(error, { source: 'sticky' });
  try {
    return Promise.resolve(store.load(units)).then(undefined, failed);
  } catch (error) {
    failed(error);
    return Promise.resolve();
  }
}
