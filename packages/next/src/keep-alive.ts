import type { Bucketry } from '@bucketry/core';
import type { HttpErrorHandler } from '@bucketry/http';

/**
 * What the proxy needs of Next's second argument (`NextFetchEvent`): `waitUntil`, which keeps the
 * invocation alive after the response until exposures are delivered.
 *
 * @example
 * ```ts
 * export function proxy(request: NextRequest, event: NextFetchEvent) {
 *   const keepAlive: WaitUntil = event;
 *   return bucketry.proxy(request, keepAlive);
 * }
 * ```
 */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Keeps the invocation alive until this request's exposures are delivered (or given up on): the
 * sink's pending writes, then the client's flush. Nothing without an event that has `waitUntil`.
 */
export function keepAlive(
  event: WaitUntil | undefined,
  pendingWrites: () => Promise<unknown>[],
  client: Pick<Bucketry, 'flush'>,
  report: HttpErrorHandler,
): void {
  if (typeof event?.waitUntil !== 'function') return;
  const delivered = Promise.all(pendingWrites())
    .then(() => client.flush())
    .catch((error: unknown) => report(error, { source: 'sink' }));
  try {
    event.waitUntil(delivered);
  } catch (error) {
    report(error, { source: 'middleware' });
  }
}
