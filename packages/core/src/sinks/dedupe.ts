import type { ExposureEvent, ExposureSink } from '../exposure.js';

/**
 * Options of {@link withDedupe}.
 *
 * @example
 * ```ts
 * withDedupe(sink, { maxKeys: 100_000 } satisfies DedupeOptions);
 * ```
 */
export interface DedupeOptions {
  /** How many (experiment, unit, variant) triples to remember; the oldest are forgotten first. Default 10,000. */
  readonly maxKeys?: number;
}

/**
 * The bounded memory behind {@link withDedupe}: remembers the last `maxKeys` keys.
 * @internal
 */
export interface RecentKeys {
  /** Remembers `key`; returns false when it was already remembered. */
  add(key: string): boolean;
  /** Forgets `key`, e.g. when the write it stood for failed. */
  forget(key: string): void;
}

/**
 * Remembers the last `maxKeys` keys. A ring of slots says which key to forget next, so a full
 * memory costs O(1) per key (a Map's oldest-first deletion slows down as deleted slots pile up).
 * @internal
 */
export function createRecentKeys(maxKeys: number): RecentKeys {
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a whole number >= 1, got ${maxKeys}`);
  const remembered = new Set<string>();
  const ring: (string | undefined)[] = [];
  let next = 0;
  return {
    add(key) {
      if (remembered.has(key)) return false;
      const oldest = ring[next];
      if (oldest !== undefined) remembered.delete(oldest);
      ring[next] = key;
      next = (next + 1) % maxKeys;
      remembered.add(key);
      return true;
    },
    forget: (key) => void remembered.delete(key),
  };
}

/** The key under which an exposure counts as already written. */
export const exposureKey = (experiment: string, unit: string, variant: string): string => `${experiment}\u0000${unit}\u0000${variant}`;

/**
 * Writes `event` to `sink`; when the write throws or rejects, the exposure was not recorded, so
 * `key` is forgotten (the next exposure is written again) and the error goes to `failed`.
 * @internal
 */
export function writeRemembered(
  sink: ExposureSink,
  event: ExposureEvent,
  recent: RecentKeys | undefined,
  key: string,
  failed: (error: unknown) => void,
): void | Promise<void> {
  const fail = (error: unknown): void => {
    recent?.forget(key);
    failed(error);
  };
  try {
    const pending = sink.write(event);
    if (pending && typeof pending.then === 'function') return pending.then(undefined, fail);
  } catch (error) {
    fail(error);
  }
}

const rethrow = (error: unknown): never => {
  throw error;
};

/**
 * Wraps a sink so that each (experiment, unit, variant) is written once, remembering at most
 * `maxKeys` of them: memory stays bounded, and a unit forgotten and seen again is written again.
 * A unit that moves to another variant (a ramp, a kill switch) is written again, as it should be.
 * A write that throws or rejects is forgotten, so the unit's next exposure is written again.
 *
 * @example
 * ```ts
 * const sink = withDedupe(createMemorySink(), { maxKeys: 50_000 });
 * ```
 */
export function withDedupe<S extends ExposureSink>(sink: S, options: DedupeOptions = {}): ExposureSink {
  const recent = createRecentKeys(options.maxKeys ?? 10_000);
  return {
    write(event: ExposureEvent) {
      const key = exposureKey(event.experiment, event.unit, event.variant);
      return recent.add(key) ? writeRemembered(sink, event, recent, key, rethrow) : undefined;
    },
    flush: () => sink.flush?.() ?? Promise.resolve(),
    close: () => sink.close?.() ?? Promise.resolve(),
  };
}
