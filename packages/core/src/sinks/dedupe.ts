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
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError(`maxKeys must be a whole number >= 1, got ${maxKeys}`);
  // A Map keeps insertion order, so its first key is the oldest.
  const seen = new Map<string, true>();
  return {
    write(event: ExposureEvent) {
      const key = `${event.experiment}\u0000${event.unit}\u0000${event.variant}`;
      if (seen.has(key)) return;
      seen.set(key, true);
      if (seen.size > maxKeys) seen.delete(seen.keys().next().value!);
      // A write that failed did not record the exposure: forget it, so the next one is written.
      let pending: void | Promise<void>;
      try {
        pending = sink.write(event);
      } catch (error) {
        seen.delete(key);
        throw error;
      }
      if (pending && typeof pending.then === 'function') {
        return pending.then(undefined, (error: unknown) => {
          seen.delete(key);
          throw error;
        });
      }
      return pending;
    },
    flush: () => sink.flush?.() ?? Promise.resolve(),
    close: () => sink.close?.() ?? Promise.resolve(),
  };
}
