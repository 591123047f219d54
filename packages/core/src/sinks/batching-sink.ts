import type { ExposureEvent } from '../exposure.js';
import { startDelivery, timers, type Delivery } from './batch-delivery.js';
import {
  milliseconds,
  option,
  optionalFunction,
  wholeNumber,
  type BatchingSink,
  type BatchingSinkErrorInfo,
  type BatchingSinkOptions,
  type FlushOptions,
} from './batching-sink-options.js';

export type {
  BatchingSink,
  BatchingSinkErrorInfo,
  BatchingSinkOptions,
  BatchingSinkRetryOptions,
  BatchingSinkStats,
  DeliverySignal,
  FlushOptions,
} from './batching-sink-options.js';

/** A flush or close waiting for the first `upTo` accepted events to settle, until its deadline. */
interface Waiter {
  readonly upTo: number;
  readonly resolve: () => void;
  timer?: unknown;
}

/**
 * A sink that queues exposures and delivers them in batches, one batch at a time and in order:
 * when a batch is full, when the flush interval passes, or on `flush`/`close`. Failed deliveries
 * are retried with exponential backoff and full jitter for up to 5 minutes (`retry.budgetMs`),
 * never sooner than a failed attempt asks (`retryAfterMs`); a delivery that hangs times out, and
 * its AbortSignal aborts. Memory stays bounded: past `maxQueueSize`, new events are dropped, counted and reported to `onError`.
 * `write` never throws and never waits, so a slow endpoint cannot slow an assignment.
 *
 * `flush` and `close` wait at most `deadlineMs` (default 20 s), whatever `deliver` does: at the
 * deadline, the events they waited for that are not delivered yet are dropped, counted and
 * reported (reason `deadline`), and the promise resolves.
 *
 * Delivery failures go to this sink's `onError`, not the client's: `write` itself never fails.
 * A delivery that times out, or is left at a deadline, is aborted through the signal `deliver`
 * gets; one that ignores the signal is abandoned, and its request may still land. Either way a
 * retry re-sends the same events, `eventId` and all, by which the collector drops the duplicate.
 *
 * @example
 * ```ts
 * import { createBatchingSink, createBucketry } from '@bucketry/core';
 *
 * const sink = createBatchingSink({
 *   deliver: async (events, signal) => {
 *     const response = await fetch('https://collector.example/exposures', { method: 'POST', body: JSON.stringify(events), signal });
 *     if (!response.ok) throw new Error(`collector answered ${response.status}`);
 *   },
 *   maxBatchSize: 200,
 *   onError: (error, info) => console.warn('exposures', info.kind, info.events, info.reason, error),
 * });
 * const bucketry = createBucketry({ experiments: [skillTree], sink });
 * // on shutdown: resolves within deadlineMs (20 s), delivered or not
 * await bucketry.close();
 * ```
 */
export function createBatchingSink(options: BatchingSinkOptions): BatchingSink {
  option(options !== null && typeof options === 'object', 'options', options, 'must be an object with a deliver function');
  const deliver = options.deliver;
  option(typeof deliver === 'function', 'deliver', deliver, 'must be a function');
  const maxBatchSize = wholeNumber('maxBatchSize', options.maxBatchSize, 100, 1);
  const flushIntervalMs = milliseconds('flushIntervalMs', options.flushIntervalMs, 1_000, 1);
  const maxQueueSize = wholeNumber('maxQueueSize', options.maxQueueSize, 10_000, 1);
  option(maxQueueSize >= maxBatchSize, 'maxQueueSize', maxQueueSize, `must be >= maxBatchSize (${maxBatchSize}), or no batch could ever fill`);
  // null is refused, as for every option (docs/spec.md: null is never "absent").
  const retry = options.retry === undefined ? {} : options.retry;
  option(retry !== null && typeof retry === 'object', 'retry', retry, 'must be an object');
  const attempts = wholeNumber('retry.attempts', retry.attempts, Infinity, 1);
  const baseDelayMs = milliseconds('retry.baseDelayMs', retry.baseDelayMs, 100, 0);
  const maxDelayMs = milliseconds('retry.maxDelayMs', retry.maxDelayMs, 10_000, 0);
  option(maxDelayMs >= baseDelayMs, 'retry.maxDelayMs', maxDelayMs, `must be >= retry.baseDelayMs (${baseDelayMs})`);
  const budgetMs = milliseconds('retry.budgetMs', retry.budgetMs, 300_000, 0);
  const timeoutMs = milliseconds('timeoutMs', options.timeoutMs, 10_000, 1);
  const defaultDeadlineMs = milliseconds('deadlineMs', options.deadlineMs, 20_000, 0);
  const onError = optionalFunction('onError', options.onError);
  const random = optionalFunction('random', options.random) ?? Math.random;
  /** Full jitter: uniformly random in [0, min(max, base · 2^(retry − 1))]. */
  const backoff = (retryNumber: number): number => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retryNumber - 1));
    const r = random();
    return ceiling * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0);
  };

  /** Waiting for a batch, oldest first. */
  const queue: ExposureEvent[] = [];
  /** The batch being delivered, and its delivery. */
  let inFlight: ExposureEvent[] = [];
  let delivery: Delivery | undefined;
  let delivered = 0;
  let dropped = 0;
  let failedAttempts = 0;
  let closed = false;
  // Events are numbered as they are accepted; batches leave and settle in that order, so
  // "everything queued before flush" is just "the first `accepted` events".
  let accepted = 0;
  let sent = 0;
  let settled = 0;
  /** Partial batches are sent until `sent` reaches this. */
  let drainUpTo = 0;
  let pumping = false;
  let pumpScheduled = false;
  let intervalTimer: unknown;
  const waiters: Waiter[] = [];
  const pendingDrops = { queue_full: 0, closed: 0 };
  let dropReportScheduled = false;

  const report = (error: unknown, info: BatchingSinkErrorInfo): void => {
    try {
      onError?.(error, info);
    } catch {
      // A failing error handler must not break delivery or the caller.
    }
  };

  /** Drops are reported once per burst, after the writes that caused them, not once per event. */
  const reportDropsLater = (reason: 'queue_full' | 'closed'): void => {
    dropped++;
    pendingDrops[reason]++;
    if (dropReportScheduled) return;
    dropReportScheduled = true;
    void Promise.resolve().then(() => {
      dropReportScheduled = false;
      const full = pendingDrops.queue_full;
      const late = pendingDrops.closed;
      pendingDrops.queue_full = 0;
      pendingDrops.closed = 0;
      if (full > 0) {
        report(new Error(`exposure queue is full (maxQueueSize ${maxQueueSize}); dropped ${full} events`), {
          kind: 'drop',
          events: full,
          reason: 'queue_full',
        });
      }
      if (late > 0) report(new Error(`sink is closed; dropped ${late} events`), { kind: 'drop', events: late, reason: 'closed' });
    });
  };

  const wantsBatch = (): boolean => queue.length >= maxBatchSize || (queue.length > 0 && sent < drainUpTo);

  // Waiters are pushed with non-decreasing `upTo`, so the done ones are at the front, in call order.
  const releaseWaiters = (): void => {
    while (waiters.length > 0 && waiters[0]!.upTo <= settled) {
      const waiter = waiters.shift()!;
      timers.clearTimeout(waiter.timer);
      waiter.resolve();
    }
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (wantsBatch()) {
        const batch = queue.splice(0, maxBatchSize);
        inFlight = batch;
        sent += batch.length;
        delivery = startDelivery(batch, deliver, { attempts, timeoutMs, budgetMs, backoff }, (error, attempt, last) => {
          failedAttempts++;
          report(error, { kind: 'delivery', events: batch.length, attempt });
          if (last) report(error, { kind: 'drop', events: batch.length, attempt, reason: 'gave_up' });
        });
        const ok = await delivery.done;
        delivery = undefined;
        // Abandoned at a deadline, which has counted the batch as dropped already.
        if (ok === undefined) continue;
        inFlight = [];
        if (ok) delivered += batch.length;
        else dropped += batch.length;
        settled += batch.length;
        releaseWaiters();
      }
    } finally {
      pumping = false;
      armIntervalTimer();
    }
  };

  const schedulePump = (): void => {
    if (pumping || pumpScheduled) return;
    pumpScheduled = true;
    // Never deliver inside write(): the caller is mid-assignment.
    void Promise.resolve().then(() => {
      pumpScheduled = false;
      void pump();
    });
  };

  function armIntervalTimer(): void {
    if (closed || intervalTimer !== undefined || queue.length === 0) return;
    const timer = timers.setTimeout(() => {
      intervalTimer = undefined;
      drainUpTo = accepted;
      schedulePump();
    }, flushIntervalMs);
    // Idle batching must not keep Node (or Deno) running; browsers return a number, without unref.
    (timer as { unref?: () => void } | null)?.unref?.();
    intervalTimer = timer;
  }

  /**
   * A deadline passed: the batch in flight (the oldest unsettled events) is abandoned and the
   * queued events up to `waiter.upTo` are taken out; all are counted as dropped and reported.
   */
  const giveUp = (waiter: Waiter, call: string, deadlineMs: number): void => {
    waiters.splice(waiters.indexOf(waiter), 1);
    const abandoned = inFlight.length;
    delivery?.abandon();
    inFlight = [];
    const left = queue.splice(0, Math.max(0, waiter.upTo - sent)).length;
    sent += left;
    const lost = abandoned + left;
    settled += lost;
    dropped += lost;
    report(new Error(`${call} did not finish within ${deadlineMs} ms; dropped ${lost} exposure events not yet delivered`), {
      kind: 'drop',
      events: lost,
      reason: 'deadline',
    });
    releaseWaiters();
    waiter.resolve();
  };

  const flush = (call: string, flushOptions: FlushOptions | undefined): Promise<void> => {
    const deadlineMs = milliseconds('deadlineMs', flushOptions?.deadlineMs, defaultDeadlineMs, 0);
    drainUpTo = accepted;
    if (settled >= accepted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { upTo: accepted, resolve };
      waiters.push(waiter);
      // Not unref'd: an awaited flush must settle, even when nothing else keeps the process up.
      waiter.timer = timers.setTimeout(() => giveUp(waiter, call, deadlineMs), deadlineMs);
      schedulePump();
    });
  };

  return {
    write(event: ExposureEvent): void {
      if (closed) return reportDropsLater('closed');
      if (queue.length + inFlight.length >= maxQueueSize) return reportDropsLater('queue_full');
      queue.push(event);
      accepted++;
      if (queue.length >= maxBatchSize) schedulePump();
      else armIntervalTimer();
    },
    flush: (flushOptions) => flush('flush', flushOptions),
    close(flushOptions) {
      closed = true;
      // Once closed, the timer is never armed again; clearing no timer (undefined) does nothing.
      timers.clearTimeout(intervalTimer);
      return flush('close', flushOptions);
    },
    stats: () => ({ queued: queue.length, inFlight: inFlight.length, delivered, dropped, failedAttempts }),
  };
}
