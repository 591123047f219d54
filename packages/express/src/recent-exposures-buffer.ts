import type { ExposureEvent } from '@bucketry/core';
import { invalidOption } from './package-name.js';

/**
 * The most events a buffer may hold: its memory is allocated as it fills, and never grows past this.
 *
 * @example
 * ```ts
 * createRecentExposuresBuffer({ capacity: Math.min(wanted, MAX_RECENT_CAPACITY) });
 * ```
 */
export const MAX_RECENT_CAPACITY = 100_000;

/**
 * A bounded ring buffer of the latest events, for the recent-exposures route. Once full, each new
 * event replaces the oldest, so memory stays fixed however long the process runs.
 *
 * @example
 * ```ts
 * const recent: RecentExposuresBuffer = createRecentExposuresBuffer({ capacity: 100 });
 * recent.record(event);
 * recent.latest(5); // newest first
 * ```
 */
export interface RecentExposuresBuffer<T = ExposureEvent> {
  /** Keeps an event, forgetting the oldest when full. */
  record(event: T): void;
  /** Up to `limit` events (default: all kept), newest first. */
  latest(limit?: number): T[];
  /** How many events are kept now. */
  readonly size: number;
  readonly capacity: number;
  /** Forgets every event. */
  clear(): void;
}

/**
 * Creates a ring buffer of the latest `capacity` events (default 1,000).
 *
 * @example
 * ```ts
 * const recent = createRecentExposuresBuffer({ capacity: 500 });
 * const bucketry = createBucketry({ experiments, sink: recordingSink(recent, analyticsSink) });
 * recent.latest(10); // the 10 newest exposures, newest first
 * ```
 */
export function createRecentExposuresBuffer<T = ExposureEvent>(options: { readonly capacity?: number } = {}): RecentExposuresBuffer<T> {
  const capacity = options?.capacity ?? 1_000;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_RECENT_CAPACITY) {
    invalidOption('capacity', capacity, `must be a whole number from 1 to ${MAX_RECENT_CAPACITY}`);
  }
  let slots: T[] = [];
  /** Where the next event goes once the buffer is full. */
  let next = 0;

  return {
    record(event) {
      if (slots.length < capacity) slots.push(event);
      else {
        slots[next] = event;
        next = (next + 1) % capacity;
      }
    },
    latest(limit = capacity) {
      const count = Math.max(0, Math.min(Math.floor(limit), slots.length));
      const newest = slots.length < capacity ? slots.length - 1 : (next - 1 + capacity) % capacity;
      const result: T[] = new Array(count);
      for (let i = 0; i < count; i++) result[i] = slots[(newest - i + slots.length) % slots.length]!;
      return result;
    },
    get size() {
      return slots.length;
    },
    capacity,
    clear() {
      slots = [];
      next = 0;
    },
  };
}
