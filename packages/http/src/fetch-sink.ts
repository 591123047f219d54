import { createBatchingSink, type BatchingSink, type BatchingSinkOptions, type ExposureEvent } from '@bucketry/core';
import { retryAfterMs } from './fetch-sink-retry-after.js';
import { invalidOption } from './option-error.js';

/**
 * Options of {@link createFetchSink}: where to POST, and the batching sink's own options
 * (batch size, flush interval, queue bound, retries and their time budget, per-attempt timeout,
 * close deadline, `onError`).
 *
 * @example
 * ```ts
 * const options: FetchSinkOptions = {
 *   url: 'https://collector.example.com/exposures',
 *   headers: { authorization: `Bearer ${process.env.COLLECTOR_TOKEN}` },
 *   maxBatchSize: 200,
 *   retry: { budgetMs: 120_000 }, // give a batch up after 2 minutes of failures (default 5)
 * };
 * ```
 */
export interface FetchSinkOptions extends Omit<BatchingSinkOptions, 'deliver'> {
  /** Where each batch is POSTed: an absolute `http:` or `https:` URL. */
  readonly url: string | URL;
  /** Request headers besides `content-type: application/json`, e.g. an API key. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Turns a batch into the request body. Default: the events as a JSON array. */
  readonly body?: (events: readonly ExposureEvent[]) => string;
  /** The `fetch` to call. Default: the global one, looked up on each delivery. */
  readonly fetch?: typeof fetch;
}

/**
 * An exposure sink that POSTs batches of events with `fetch`: core's batching sink with a `deliver`
 * that treats any answer but 2xx as a failed attempt. Failed batches are retried with backoff and
 * full jitter for up to `retry.budgetMs` (default 5 minutes), and after a 429 or 503 never sooner
 * than its `Retry-After` (seconds or an HTTP-date; a wait past the budget gives the batch up at
 * once). A 4xx other than 408 and 429 is not retried: the batch is given up at once (dropped and
 * reported), as the same request would be refused again. An attempt that does not answer within
 * `timeoutMs` (default 10 s) is aborted, its connection closed, and so is the one in flight when
 * `close()` or `flush()` reaches its deadline: a collector that hangs leaks no socket and cannot
 * keep the process from exiting. The queue is bounded (`maxQueueSize`); every event dropped (queue
 * full, retries spent, deadline) is counted in `stats()` and reported to `onError`. A retry
 * re-sends the same body, each event with its `eventId`, by which the collector drops a duplicate.
 * It uses only `fetch`, so it runs on Node 20, edge runtimes and in browsers. On the Next.js proxy,
 * `@bucketry/next` keeps the invocation alive with `event.waitUntil` until the batch is delivered;
 * elsewhere call `close()` on shutdown.
 *
 * @example
 * ```ts
 * import { createFetchSink } from '@bucketry/http';
 *
 * const sink = createFetchSink({
 *   url: 'https://collector.example.com/exposures',
 *   headers: { authorization: `Bearer ${process.env.COLLECTOR_TOKEN}` },
 *   onError: (error, info) => console.warn('exposures', info.kind, info.events, info.reason, error),
 * });
 * const bucketry = createBucketry({ experiments: [skillTree], sink });
 * process.on('SIGTERM', async () => {
 *   await sink.close({ deadlineMs: 8_000 }); // resolves by then, delivered or counted as dropped
 *   process.exit(sink.stats().dropped > 0 ? 1 : 0);
 * });
 * ```
 */
export function createFetchSink(options: FetchSinkOptions): BatchingSink {
  if (options === null || typeof options !== 'object') invalidOption('options', options, 'must be an object with a url');
  const { url: rawUrl, headers: extraHeaders, body, fetch: givenFetch, ...batching } = options;
  let url: URL | undefined;
  try {
    url = new URL(rawUrl);
  } catch {
    // Reported below with the rule.
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    invalidOption('url', rawUrl, 'must be an absolute http:// or https:// URL');
  }
  let headers: Headers;
  try {
    headers = new Headers(extraHeaders);
  } catch {
    return invalidOption('headers', extraHeaders, 'must map header names to values');
  }
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  if (body !== undefined && typeof body !== 'function') invalidOption('body', body, 'must be a function');
  if (givenFetch !== undefined && typeof givenFetch !== 'function') invalidOption('fetch', givenFetch, 'must be a function');
  const target = url.href;
  const serialize = body ?? ((events: readonly ExposureEvent[]) => JSON.stringify(events));

  return createBatchingSink({
    ...batching,
    deliver: async (events, signal) => {
      const response = await (givenFetch ?? fetch)(target, { method: 'POST', headers, body: serialize(events), signal });
      // Release the connection: the answer's body is never read.
      await response.body?.cancel().catch(() => {});
      if (response.ok) return;
      const status = response.status;
      // A 4xx but 408 and 429 refuses the request itself: sent again, it is refused again, while the
      // batches behind it wait. A wait past any budget has core's batching sink give it up at once.
      const refused = status > 399 && status < 500 && status !== 408 && status !== 429;
      const wait = refused ? Infinity : status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), Date.now()) : undefined;
      const error = new Error(`exposure collector ${target} answered ${status}${refused ? ' (not retried)' : wait === undefined ? '' : `, Retry-After ${wait} ms`}`);
      // Core's batching sink waits at least this long before the retry.
      throw wait === undefined ? error : Object.assign(error, { retryAfterMs: wait });
    },
  });
}
