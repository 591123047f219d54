import type { Bucketry } from '@bucketry/core';
import { FatalSourceError, runSource } from './live-source.js';
import type { LiveSource, SourceOptions } from './source-options.js';

/**
 * Options of {@link createHttpSource}: the URL that serves the snapshot, and what every source takes.
 *
 * @example
 * ```ts
 * const options: HttpSourceOptions = {
 *   url: 'https://config.example.com/bucketry/rollouts.json',
 *   headers: { authorization: `Bearer ${process.env.BUCKETRY_CONFIG_TOKEN}` },
 *   base,
 *   pollInterval: 15_000,
 * };
 * ```
 */
export interface HttpSourceOptions extends SourceOptions {
  /** Answers `GET` with the snapshot JSON, `{ "rollouts": { … } }`, and preferably an `ETag`. */
  readonly url: string | URL;
  /** Sent with every request, such as an authorization header. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * Polls a URL for the rollout snapshot, with `fetch` only (no Node built-ins: Node, edge runtimes
 * and browsers alike). Each request sends the last good response's `ETag` as `If-None-Match`, so
 * an unchanged snapshot costs a 304 and nothing else. The interval is jittered; a network error,
 * a timeout, a 429 or a 5xx keeps the last good set, marks the client stale and backs off with
 * jitter; a 401 or 403 stops polling with an error saying so (retrying cannot fix a credential).
 *
 * @example
 * ```ts
 * import { createBucketry } from '@bucketry/core';
 * import { createHttpSource } from '@bucketry/live/http';
 *
 * const bucketry = createBucketry({ experiments: base });
 * const source = createHttpSource(bucketry, { url: 'https://config.example.com/rollouts.json', base });
 * await source.start();
 * ```
 */
export function createHttpSource(bucketry: Bucketry, options: HttpSourceOptions): LiveSource {
  const url = String(options.url);
  let etag: string | undefined;
  let pending: string | undefined;
  return runSource(
    bucketry,
    {
      name: 'http',
      async load() {
        const doFetch = options.fetch ?? fetch;
        const response = await doFetch(url, {
          headers: { accept: 'application/json', ...options.headers, ...(etag ? { 'if-none-match': etag } : {}) },
        });
        if (response.status === 304) {
          pending = etag;
          return 'unchanged';
        }
        if (response.status === 401 || response.status === 403) {
          throw new FatalSourceError(`${url} answered ${response.status} ${response.statusText}: the credentials are refused, so polling has stopped (fix them and restart the source)`);
        }
        if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
        pending = response.headers.get('etag') ?? undefined;
        return response.text(); // the loop's parseSnapshot reads JSON text, and names invalid JSON
      },
      accepted() {
        etag = pending ?? etag;
      },
    },
    options,
  );
}
