import { vi } from 'vitest';
import { EXPOSURE_EVENT, type ExposureEvent } from '../exposure.js';

/**
 * Exposure `n` of user-`n`: what the sink tests write.
 *
 * @example
 * ```ts
 * sink.write(exposureEvent(0)); // unit 'user-0', variant 'tree'
 * ```
 */
export const exposureEvent = (n: number): ExposureEvent => ({
  event: EXPOSURE_EVENT,
  experiment: 'skill_tree_layout',
  variant: n % 2 === 0 ? 'tree' : 'list',
  unit: `user-${n}`,
  reason: 'bucketed',
  bucket: n,
  timestamp: '2026-01-01T00:00:00.000Z',
  configVersion: 'v1',
  eventId: `event-${n}`,
});

export const units = (events: readonly ExposureEvent[]): string[] => events.map((e) => e.unit);
export const unitRange = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `user-${from + i}`);

export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A promise with its resolve and reject, to settle a delivery when the test says so. */
export const deferred = (): Deferred => {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** A deliver that records every batch (as delivered, copied) and answers with `answer(callIndex)`. */
export function recordingDeliver(answer: (call: number, events: ExposureEvent[]) => Promise<void> | void = () => {}) {
  const batches: string[][] = [];
  const deliver = vi.fn((events: ExposureEvent[]) => {
    batches.push(units(events));
    return answer(batches.length - 1, events);
  });
  return { deliver, batches };
}

/** Lets queued microtasks and zero-delay timers run. */
export const settle = () => vi.advanceTimersByTimeAsync(0);

/** Whether a promise has settled yet, read after advancing fake timers. */
export function watch(promise: Promise<unknown>): { readonly settled: boolean } {
  const state = { settled: false };
  void promise.then(() => (state.settled = true));
  return state;
}
