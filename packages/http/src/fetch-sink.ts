import { createBatchingSink, type BatchingSink, type BatchingSinkOptions, type ExposureEvent } from '@bucketry/core';
import { invalidOption } from './option-error.js';

/**
 * Options of {@link createFetchSink}: where to POST, and the batching sink's own options
 * (batch size, flush interval, queue bound, retries, timeout, `onError`).
 *
 * @example
 * ```ts
 * const options: FetchSinkOptions = {
 *   url: 'https://collector.example.com/exposures',
 *   headers: { authorization: `Bearer ${process.env.COLLECTOR_TOKEN}` },
 *   maxBatchSize: 200,
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
 * An exposure sink that POSTs batches of events with `fetch`: core's batching sink (bounded
 * queue, retries with backoff, per-attempt timeout) with a `deliver` that treats any answer but
 * 2xx as a failed attempt. It uses only `fetch`, so it runs on Node 20, edge runtimes and in
 * browsers. On the Next.js proxy, `@bucketry/next` keeps the invocation alive with
 * `event.waitUntil` until the batch is delivered; elsewhere call `flush()` or `close()` on shutdown.
 *
 * @example
 * ```ts
 * import { createFetchSink } from '@bucketry/http';
 *
 * const sink = createFetchSink({
 *   url: 'https://collector.example.com/exposures',
 *   headers: { authorization: `Bearer ${process.env.COLLECTOR_TOKEN}` },
 *   onError: (error, info) => console.warn('exposures', info.kind, info.events, error),
 * });
 * const bucketry = createBucketry({ experiments: [skillTree], sink });
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
    deliver: async (events) => {
      const response = await (givenFetch ?? fetch)(target, { method: 'POST', headers, body: serialize(events) });
      // Release the connection: the answer's body is never read.
      await response.body?.cancel().catch(() => {});
      if (!response.ok) throw new Error(`exposure collector ${target} answered ${response.status}`);
    },
  });
}
