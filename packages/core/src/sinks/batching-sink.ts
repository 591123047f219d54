import { check } from '../errors.js';
import type { ExposureEvent, ExposureSink } from '../exposure.js';

/**
 * What went wrong, as told to {@link BatchingSinkOptions.onError}.
 *
 * @example
 * ```ts
 * const onError = (error: unknown, info: BatchingSinkErrorInfo) => {
 *   if (info.kind === 'drop') metrics.increment('exposures.dropped', info.events, { reason: info.reason });
 *   else console.warn(`exposure delivery attempt ${info.attempt} failed`, error);
 * };
 * ```
 */
export interface BatchingSinkErrorInfo {
  /** `delivery`: one attempt to deliver a batch failed (it may be retried). `drop`: events were given up on. */
  readonly kind: 'delivery' | 'drop';
  /** How many events the failure concerns. */
  readonly events: number;
  /** Which attempt failed (1-based), for `delivery`, and for `drop` after the last attempt. */
  readonly attempt?: number;
  /**
   * Why events were dropped: every attempt failed (`gave_up`), the queue was full (`queue_full`),
   * or the sink was closed (`closed`). Only for `drop`.
   */
  readonly reason?: 'gave_up' | 'queue_full' | 'closed';
}

/**
 * How failed deliveries are retried: exponential backoff with full jitter. Before retry `n`
 * the sink waits a random time in `[0, min(maxDelayMs, baseDelayMs · 2^(n − 1))]`.
 *
 * @example
 * ```ts
 * // up to 5 attempts; waits of at most 0.5 s, 1 s, 2 s, 2 s between them
 * const retry: BatchingSinkRetryOptions = { attempts: 5, baseDelayMs: 500, maxDelayMs: 2_000 };
 * ```
 */
export interface BatchingSinkRetryOptions {
  /** Attempts per batch, the first included; 1 means no retry. Default 3. */
  readonly attempts?: number;
  /** The backoff before the first retry is up to this; it doubles per retry. Default 100. */
  readonly baseDelayMs?: number;
  /** The backoff never exceeds this. Default 10,000. */
  readonly maxDelayMs?: number;
}

/**
 * Options of {@link createBatchingSink}. Only `deliver` is required; anything invalid throws an
 * `ExperimentConfigError` naming the field, the value and the rule.
 *
 * @example
 * ```ts
 * const options: BatchingSinkOptions = {
 *   deliver: (events) => queue.sendMessage({ body: JSON.stringify(events) }),
 *   maxBatchSize: 500,
 *   flushIntervalMs: 5_000,
 *   timeoutMs: 3_000,
 * };
 * ```
 */
export interface BatchingSinkOptions {
  /** Sends one batch somewhere (an HTTP endpoint, a queue). Throwing or rejecting counts as a failed attempt. */
  readonly deliver: (events: ExposureEvent[]) => Promise<void> | void;
  /** Events per batch. Default 100. */
  readonly maxBatchSize?: number;
  /** A non-empty queue is delivered at most this long after its first event. Default 1,000. */
  readonly flushIntervalMs?: number;
  /** Events held at most (queued and in flight); further writes are dropped. Default 10,000. */
  readonly maxQueueSize?: number;
  readonly retry?: BatchingSinkRetryOptions;
  /** A delivery attempt that has not settled after this long counts as failed. Default 10,000. */
  readonly timeoutMs?: number;
  /** Told about failed attempts and dropped events. Never rethrown; if it throws, that is ignored. */
  readonly onError?: (error: unknown, info: BatchingSinkErrorInfo) => void;
  /** The jitter source, `[0, 1)`. Default `Math.random`; inject a fixed one in tests. */
  readonly random?: () => number;
}

/**
 * Counters of a {@link BatchingSink}, for health checks and metrics.
 *
 * @example
 * ```ts
 * const { queued, dropped, failedAttempts } = sink.stats();
 * if (dropped > 0) console.warn(`${dropped} exposures lost so far; ${queued} waiting`);
 * ```
 */
export interface BatchingSinkStats {
  /** Waiting for a batch. */
  readonly queued: number;
  /** In the batch being delivered now. */
  readonly inFlight: number;
  /** Delivered successfully, ever. */
  readonly delivered: number;
  /** Dropped, ever: queue full, written after close, or given up on after every attempt failed. */
  readonly dropped: number;
  /** Delivery attempts that threw, rejected or timed out, ever. */
  readonly failedAttempts: number;
}

/**
 * An {@link ExposureSink} that batches, retries and never blocks the caller; see {@link createBatchingSink}.
 *
 * @example
 * ```ts
 * const sink: BatchingSink = createBatchingSink({ deliver: postToCollector });
 * sink.write(event);        // queued, returns at once
 * await sink.flush();       // delivered (or given up on)
 * sink.stats().delivered;   // 1
 * ```
 */
export interface BatchingSink extends ExposureSink {
  /** Queues an event. Synchronous, never throws, never waits for delivery. */
  write(event: ExposureEvent): void;
  /** Resolves once every event queued before the call has been delivered or given up on. Never rejects. */
  flush(): Promise<void>;
  /** Flushes, stops the timer, and drops later writes. */
  close(): Promise<void>;
  stats(): BatchingSinkStats;
}

// setTimeout as every runtime has it (browsers, Node, edge); core's lib has no DOM or Node types.
interface TimerHost {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
// Looked up on each call, so fake timers installed after import are used.
const host = globalThis as unknown as TimerHost;

/** The longest delay setTimeout honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Checks one option of createBatchingSink: the error names the function, the field, the value and the rule. */
const option = (ok: unknown, field: string, value: unknown, rule: string): void => check(ok, field, value, rule, 'createBatchingSink');

function wholeNumber(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  option(Number.isSafeInteger(value) && (value as number) >= min, field, value, `must be a whole number >= ${min}`);
  return value as number;
}

function milliseconds(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  // NaN fails both comparisons.
  option(typeof value === 'number' && value >= min && value <= MAX_TIMER_MS, field, value, `must be a number of milliseconds from ${min} to ${MAX_TIMER_MS}`);
  return value as number;
}

function optionalFunction<F>(field: string, value: F | undefined): F | undefined {
  option(value === undefined || typeof value === 'function', field, value, 'must be a function');
  return value;
}

// A plain Error named for the case: a class of its own would only add bytes, as nothing exported
// lets a caller test `instanceof` against it.
const deliveryTimeout = (ms: number, events: number): Error =>
  Object.assign(new Error(`delivery of ${events} exposure events did not settle within ${ms} ms`), { name: 'DeliveryTimeoutError' });

/**
 * A sink that queues exposures and delivers them in batches, one batch at a time and in order:
 * when a batch is full, when the flush interval passes, or on `flush`/`close`. Failed deliveries
 * are retried with exponential backoff and full jitter; a delivery that hangs times out. Memory
 * stays bounded: past `maxQueueSize`, new events are dropped, counted and reported to `onError`.
 * `write` never throws and never waits, so a slow endpoint cannot slow an assignment.
 *
 * Delivery failures go to this sink's `onError`, not the client's: `write` itself never fails.
 * A delivery that times out is abandoned, not cancelled (nothing here can cancel it), so its
 * request may still land after the retry: make the collector idempotent if duplicates matter.
 *
 * @example
 * ```ts
 * import { createBatchingSink, createBucketry } from '@bucketry/core';
 *
 * const sink = createBatchingSink({
 *   deliver: async (events) => {
 *     const response = await fetch('https://collector.example/exposures', { method: 'POST', body: JSON.stringify(events) });
 *     if (!response.ok) throw new Error(`collector answered ${response.status}`);
 *   },
 *   maxBatchSize: 200,
 *   onError: (error, info) => console.warn('exposures', info.kind, info.events, error),
 * });
 * const bucketry = createBucketry({ experiments: [skillTree], sink });
 * // on shutdown:
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
  const retry = options.retry ?? {};
  option(retry !== null && typeof retry === 'object', 'retry', retry, 'must be an object');
  const attempts = wholeNumber('retry.attempts', retry.attempts, 3, 1);
  const baseDelayMs = milliseconds('retry.baseDelayMs', retry.baseDelayMs, 100, 0);
  const maxDelayMs = milliseconds('retry.maxDelayMs', retry.maxDelayMs, 10_000, 0);
  option(maxDelayMs >= baseDelayMs, 'retry.maxDelayMs', maxDelayMs, `must be >= retry.baseDelayMs (${baseDelayMs})`);
  const timeoutMs = milliseconds('timeoutMs', options.timeoutMs, 10_000, 1);
  const onError = optionalFunction('onError', options.onError);
  const random = optionalFunction('random', options.random) ?? Math.random;

  /** Waiting for a batch, oldest first. */
  const queue: ExposureEvent[] = [];
  /** The batch being delivered. */
  let inFlight: ExposureEvent[] = [];
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
  const flushWaiters: { upTo: number; resolve: () => void }[] = [];
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

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => host.setTimeout(resolve, ms));

  /** One attempt: settles with deliver, or rejects after `timeoutMs`. Sync throws become rejections. */
  const attempt = (batch: ExposureEvent[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      // Not unref'd: while a batch is in flight, an awaited flush() must keep the process alive.
      const timer = host.setTimeout(() => reject(deliveryTimeout(timeoutMs, batch.length)), timeoutMs);
      new Promise<void>((settle) => settle(deliver(batch.slice())))
        .then(resolve, reject)
        .finally(() => host.clearTimeout(timer));
    });

  /** Full jitter: uniformly random in [0, min(max, base · 2^(retry − 1))]. */
  const backoff = (retryNumber: number): number => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retryNumber - 1));
    const r = random();
    return ceiling * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0);
  };

  /** Delivers one batch with retries; false when every attempt failed. */
  const deliverWithRetry = async (batch: ExposureEvent[]): Promise<boolean> => {
    let lastError: unknown;
    for (let n = 1; n <= attempts; n++) {
      try {
        await attempt(batch);
        return true;
      } catch (error) {
        lastError = error;
        failedAttempts++;
        report(error, { kind: 'delivery', events: batch.length, attempt: n });
        if (n < attempts) await sleep(backoff(n));
      }
    }
    report(lastError, { kind: 'drop', events: batch.length, attempt: attempts, reason: 'gave_up' });
    return false;
  };

  const wantsBatch = (): boolean => queue.length >= maxBatchSize || (queue.length > 0 && sent < drainUpTo);

  // Waiters are pushed with non-decreasing `upTo`, so the done ones are at the front, in call order.
  const releaseFlushWaiters = (): void => {
    while (flushWaiters.length > 0 && flushWaiters[0]!.upTo <= settled) flushWaiters.shift()!.resolve();
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (wantsBatch()) {
        const batch = queue.splice(0, maxBatchSize);
        inFlight = batch;
        sent += batch.length;
        const ok = await deliverWithRetry(batch);
        inFlight = [];
        if (ok) delivered += batch.length;
        else dropped += batch.length;
        settled += batch.length;
        releaseFlushWaiters();
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
    const timer = host.setTimeout(() => {
      intervalTimer = undefined;
      drainUpTo = accepted;
      schedulePump();
    }, flushIntervalMs);
    // Idle batching must not keep Node (or Deno) running; browsers return a number, without unref.
    (timer as { unref?: () => void } | null)?.unref?.();
    intervalTimer = timer;
  }

  const flush = (): Promise<void> => {
    drainUpTo = accepted;
    if (settled >= accepted) return Promise.resolve();
    const done = new Promise<void>((resolve) => flushWaiters.push({ upTo: accepted, resolve }));
    schedulePump();
    return done;
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
    flush,
    close(): Promise<void> {
      closed = true;
      // Once closed, the timer is never armed again; clearing no timer (undefined) does nothing.
      host.clearTimeout(intervalTimer);
      return flush();
    },
    stats: () => ({ queued: queue.length, inFlight: inFlight.length, delivered, dropped, failedAttempts }),
  };
}
