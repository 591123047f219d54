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
   * Why events were dropped: the retries ran out (`gave_up`: the budget, or `retry.attempts`),
   * the queue was full (`queue_full`), they were written after close (`closed`), or a `flush` or
   * `close` reached its deadline before they were delivered (`deadline`; a batch then in flight
   * may still land). Only for `drop`.
   */
  readonly reason?: 'gave_up' | 'queue_full' | 'closed' | 'deadline';
}

/**
 * How failed deliveries are retried: exponential backoff with full jitter, within a time budget.
 * Before retry `n` the sink waits a random time in `[0, min(maxDelayMs, baseDelayMs · 2^(n − 1))]`,
 * or longer when the failed attempt asked for it (an error with `retryAfterMs`, as
 * `createFetchSink` throws for a `Retry-After`). A batch is given up on (dropped, reason
 * `gave_up`) when its next retry would start `budgetMs` or more after its first attempt began, or
 * after `attempts` attempts. Batches leave one at a time, so while one is retried the others wait
 * in the queue, whose bound (`maxQueueSize`) then drops and counts new events.
 *
 * @example
 * ```ts
 * // retry a batch for up to a minute, waits of at most 0.5 s, 1 s, 2 s, 2 s, 2 s, … between attempts
 * const retry: BatchingSinkRetryOptions = { budgetMs: 60_000, baseDelayMs: 500, maxDelayMs: 2_000 };
 * ```
 */
export interface BatchingSinkRetryOptions {
  /** Attempts per batch at most, the first included; 1 means no retry. Default: no limit but the budget. */
  readonly attempts?: number;
  /** The backoff before the first retry is up to this; it doubles per retry. Default 100. */
  readonly baseDelayMs?: number;
  /** The backoff never exceeds this (a `retryAfterMs` may). Default 10,000. */
  readonly maxDelayMs?: number;
  /**
   * How long a batch is retried at most, from the start of its first attempt: no retry starts
   * this long or later after it (the last attempt may still run for `timeoutMs`). 0 means no retry.
   * Default 300,000 (5 minutes): an endpoint restarting or briefly overloaded loses nothing.
   */
  readonly budgetMs?: number;
}

/**
 * The AbortSignal a delivery attempt gets: the runtime's own (`AbortSignal` wherever the caller's
 * types have one, DOM or Node), aborted when the attempt times out or a `flush` or `close` reaches
 * its deadline. Pass it to `fetch` (or a client's cancel option) so a hung request is closed.
 *
 * @example
 * ```ts
 * const deliver = async (events: ExposureEvent[], signal?: DeliverySignal) => {
 *   await fetch('https://collector.example/exposures', { method: 'POST', body: JSON.stringify(events), signal });
 * };
 * ```
 * (Core's own types have no DOM or Node globals: the caller's decide the type.)
 */
export type DeliverySignal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : { readonly aborted: boolean; readonly reason: unknown };

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
 *   deadlineMs: 8_000, // the platform kills the process 10 s after SIGTERM
 * };
 * ```
 */
export interface BatchingSinkOptions {
  /**
   * Sends one batch somewhere (an HTTP endpoint, a queue). Throwing or rejecting counts as a failed
   * attempt; an error with a `retryAfterMs` number delays the retry at least that long. `signal`
   * aborts when the attempt times out or is abandoned at a deadline (absent where the runtime has
   * no AbortController): pass it on, so a hung request does not stay open.
   */
  readonly deliver: (events: ExposureEvent[], signal?: DeliverySignal) => Promise<void> | void;
  /** Events per batch. Default 100. */
  readonly maxBatchSize?: number;
  /** A non-empty queue is delivered at most this long after its first event. Default 1,000. */
  readonly flushIntervalMs?: number;
  /** Events held at most (queued and in flight); further writes are dropped. Default 10,000. */
  readonly maxQueueSize?: number;
  /** How failed deliveries are retried; `null` is refused, as for every option. Default: see {@link BatchingSinkRetryOptions}. */
  readonly retry?: BatchingSinkRetryOptions;
  /** A delivery attempt that has not settled after this long counts as failed. Default 10,000. */
  readonly timeoutMs?: number;
  /**
   * The longest `flush()` and `close()` wait, all batches and retries included. At the deadline,
   * the events they were waiting for and that are not delivered yet are dropped (reason
   * `deadline`), and the promise resolves. Default 20,000: below the 30 s a platform commonly
   * allows between SIGTERM and SIGKILL. `flush({ deadlineMs })` and `close({ deadlineMs })` set
   * it for one call.
   */
  readonly deadlineMs?: number;
  /** Told about failed attempts and dropped events. Never rethrown; if it throws, that is ignored. */
  readonly onError?: (error: unknown, info: BatchingSinkErrorInfo) => void;
  /** The jitter source, `[0, 1)`. Default `Math.random`; inject a fixed one in tests. */
  readonly random?: () => number;
}

/**
 * Options of one {@link BatchingSink.flush} or {@link BatchingSink.close} call.
 *
 * @example
 * ```ts
 * process.on('SIGTERM', async () => {
 *   await sink.close({ deadlineMs: 5_000 } satisfies FlushOptions); // whatever happens, within 5 s
 *   process.exit(0);
 * });
 * ```
 */
export interface FlushOptions {
  /** How long this call waits at most, in ms (0 to 2,147,483,647). Default: the sink's `deadlineMs`. */
  readonly deadlineMs?: number;
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
  /** Dropped, ever: queue full, written after close, given up on after every attempt failed, or left at a deadline. */
  readonly dropped: number;
  /** Delivery attempts that threw, rejected or timed out, ever. */
  readonly failedAttempts: number;
}

/**
 * An exposure sink that batches, retries and never blocks the caller; see {@link createBatchingSink}.
 *
 * @example
 * ```ts
 * const sink: BatchingSink = createBatchingSink({ deliver: postToCollector });
 * sink.write(event);        // queued, returns at once
 * await sink.flush();       // delivered, given up on, or dropped at the deadline
 * sink.stats().delivered;   // 1
 * ```
 */
export interface BatchingSink extends ExposureSink {
  /** Queues an event. Synchronous, never throws, never waits for delivery. */
  write(event: ExposureEvent): void;
  /**
   * Resolves once every event queued before the call has been delivered or given up on, or at
   * the deadline, dropping those still undelivered. Never rejects; an invalid `deadlineMs` throws
   * an `ExperimentConfigError`.
   */
  flush(options?: FlushOptions): Promise<void>;
  /** Stops the timer and drops later writes, then flushes as {@link BatchingSink.flush} does, deadline included. */
  close(options?: FlushOptions): Promise<void>;
  stats(): BatchingSinkStats;
}

/** The longest delay setTimeout honours; longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Checks one option of createBatchingSink: the error names the function, the field, the value and the rule. @internal */
export const option = (ok: unknown, field: string, value: unknown, rule: string): void => check(ok, field, value, rule, 'createBatchingSink');

/** A whole number from `min`, or the default when absent. @internal */
export function wholeNumber(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  option(Number.isSafeInteger(value) && (value as number) >= min, field, value, `must be a whole number >= ${min}`);
  return value as number;
}

/** Milliseconds from `min` to the longest timer; also checks a call's `deadlineMs`. @internal */
export function milliseconds(field: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  // NaN fails both comparisons.
  option(typeof value === 'number' && value >= min && value <= MAX_TIMER_MS, field, value, `must be a number of milliseconds from ${min} to ${MAX_TIMER_MS}`);
  return value as number;
}

/** A function, or undefined when absent. @internal */
export function optionalFunction<F>(field: string, value: F | undefined): F | undefined {
  option(value === undefined || typeof value === 'function', field, value, 'must be a function');
  return value;
}

