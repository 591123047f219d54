import { ExperimentConfigError, unitKey, type Unit } from '@bucketry/core';
import { backoffDelay, quietTimer } from './backoff.js';
import { createUnitCache } from './sticky-cache.js';
import { timeoutArgument, type LiveStickyStore, type StickySettings } from './sticky-options.js';
import { createWriteQueue, type WriteBatch } from './sticky-queue.js';

/** A record as a store reads it back. */
export interface StickyRecord {
  readonly unit: string;
  readonly experiment: string;
  readonly variant: string;
}

/** What a database gives {@link createStickyStore}: one read for many units, one write for a batch. */
export interface StickyBackend {
  readonly kind: string;
  /** Every record of these units, all experiments, in one round trip. */
  load(units: readonly string[]): Promise<readonly StickyRecord[]>;
  write: WriteBatch;
  /** The rule a text breaks when the store cannot hold it (PostgreSQL text and U+0000), else `undefined`. */
  unstorable?(text: string): string | undefined;
  /** Closes what the store opened. */
  close(): Promise<void>;
}

// After a failed load, loads are skipped for a while (first 250 ms, doubling up to 10 s) rather
// than each request waiting out the timeout against a store that is down.
const SKIP_FIRST_MS = 250;
const SKIP_MAX_MS = 10_000;

/**
 * A {@link LiveStickyStore} over a backend: an LRU cache of units' records that `load` fills and
 * `get`/`set` use, and a write queue that batches `set`'s records.
 */
export function createStickyStore(backend: StickyBackend, settings: StickySettings): LiveStickyStore {
  const { kind } = backend;
  const { report, loadTimeout } = settings;
  const cache = createUnitCache(settings.cacheSize);
  const queue = createWriteQueue(settings, kind, backend.write);
  const loading = new Map<string, Promise<void>>();
  let loaded = 0, hits = 0, misses = 0, failedLoads = 0, skippedLoads = 0, failuresInARow = 0;
  let skipUntil = 0;
  let closed: Promise<void> | undefined;
  let versionFailing = false;

  const fill = (units: readonly string[], records: readonly StickyRecord[]): void => {
    const asked = new Map(units.map((unit) => [unit, cache.entry(unit)]));
    // What the store holds wins over a variant set here meanwhile: that one is written only where the store has none.
    for (const { unit, experiment, variant } of records) asked.get(unit)?.variants.set(experiment, variant);
    for (const entry of asked.values()) entry.loaded = true;
    loaded += units.length;
  };

  const failed = (error: unknown, units: number, count: boolean): void => {
    if (count) {
      failedLoads++;
      failuresInARow++;
      skipUntil = Date.now() + backoffDelay(failuresInARow, SKIP_FIRST_MS, SKIP_MAX_MS);
    }
    report(error, { store: kind, stage: 'load', records: units });
  };

  // One round trip for these units, resolved by `loadTimeout` at the latest; a late answer still fills the cache.
  const read = (units: readonly string[]): Promise<void> => {
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = backend.load(units).then(
      (records) => {
        fill(units, records);
        failuresInARow = 0;
        skipUntil = 0;
      },
      (error: unknown) => failed(error, units.length, !timedOut),
    );
    const late = new Promise<void>((resolve) => {
      timer = quietTimer(() => {
        timedOut = true;
        failed(new Error(`loading the sticky records of ${units.length} unit(s) took longer than loadTimeout (${loadTimeout} ms); assigned without them`), units.length, true);
        resolve();
      }, loadTimeout);
    });
    const bounded = Promise.race([answered, late]).finally(() => clearTimeout(timer));
    for (const unit of units) loading.set(unit, bounded);
    void answered.finally(() => {
      for (const unit of units) if (loading.get(unit) === bounded) loading.delete(unit);
    });
    return bounded;
  };

  const keysOf = (input: Unit | null | undefined | readonly (Unit | null | undefined)[]): Set<string> => {
    const keys = new Set<string>();
    for (const unit of Array.isArray(input) ? (input as readonly (Unit | null | undefined)[]) : [input as Unit | null | undefined]) {
      const key = unitKey(unit);
      // A unit the store cannot hold has no records there.
      if (key !== undefined && backend.unstorable?.(key) === undefined) keys.add(key);
    }
    return keys;
  };

  const versionOf = (experiment: string): string | null => {
    const configVersion = settings.configVersion;
    if (!configVersion) return null;
    try {
      const version = configVersion(experiment);
      if (version !== undefined && typeof version !== 'string') {
        throw new ExperimentConfigError('configVersion(experiment)', version, 'must return a string or undefined', `sticky ${kind} store`);
      }
      versionFailing = false;
      return version ?? null;
    } catch (error) {
      if (!versionFailing) report(error, { store: kind, stage: 'version' }); // once until it works again
      versionFailing = true;
      return null;
    }
  };

  const unstorable = (texts: Record<string, string | null>): ExperimentConfigError | undefined => {
    for (const [field, text] of Object.entries(texts)) {
      const rule = text === null ? undefined : backend.unstorable?.(text);
      if (rule !== undefined) return new ExperimentConfigError(field, text, `${rule}; the record stays in this instance's cache only`, `sticky ${kind} store`);
    }
    return undefined;
  };

  return {
    kind,
    load(input) {
      const waits: Promise<void>[] = [];
      const toRead: string[] = [];
      for (const unit of keysOf(input)) {
        if (cache.touch(unit)?.loaded) {
          hits++;
          continue;
        }
        misses++;
        const joined = loading.get(unit);
        if (joined) waits.push(joined);
        else toRead.push(unit);
      }
      if (toRead.length > 0) {
        if (closed || Date.now() < skipUntil) skippedLoads++;
        else waits.push(read(toRead));
      }
      return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => {});
    },
    get: (unit, experiment) => cache.peek(unit)?.variants.get(experiment),
    set(unit, experiment, variant) {
      const entry = cache.entry(unit);
      const previous = entry.variants.get(experiment);
      if (previous === variant) return;
      entry.variants.set(experiment, variant); // seen by get at once, before it is written
      const configVersion = versionOf(experiment);
      const refused = unstorable({ unit, experiment, variant, configVersion });
      if (refused) return queue.drop(1, 'unstorable', refused);
      queue.add({ unit, experiment, variant, configVersion, assignedAt: new Date(), replaces: previous });
    },
    flush: (timeout) => queue.flush(timeoutArgument(timeout, 'flush')),
    close(timeout) {
      const ms = timeoutArgument(timeout, 'close');
      // Nothing is lost when a connection fails to close: every record was written or reported by then.
      closed ??= queue.close(ms).then(() => backend.close().catch(() => {}));
      return closed;
    },
    stats: () => ({ loaded, hits, misses, cached: cache.size, ...queue.counts(), failedLoads, skippedLoads }),
  };
}
