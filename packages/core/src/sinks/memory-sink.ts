import type { ExposureEvent, ExposureSink } from '../exposure.js';

/**
 * An {@link ExposureSink} that keeps events in an array, for tests and demos.
 *
 * @example
 * ```ts
 * const sink: MemorySink = createMemorySink();
 * expect(sink.events).toHaveLength(1);
 * ```
 */
export interface MemorySink extends ExposureSink {
  /** Every event written, oldest first. */
  readonly events: ExposureEvent[];
  /** Forgets the events. */
  clear(): void;
}

/**
 * A sink that keeps every event in memory.
 *
 * @example
 * ```ts
 * const sink = createMemorySink();
 * const bucketry = createBucketry({ experiments: [skillTree], sink });
 * bucketry.assign('skill_tree_layout', 'user-1');
 * sink.events.length;  // 1
 * ```
 */
export function createMemorySink(): MemorySink {
  const events: ExposureEvent[] = [];
  return {
    events,
    write: (event) => void events.push(event),
    clear: () => void events.splice(0),
    flush: async () => {},
    close: async () => {},
  };
}
