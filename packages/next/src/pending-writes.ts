import type { ExposureSink } from '@bucketry/core';

const ignore = (): void => {};

/**
 * The sink, wrapped to remember the promises its `write` returns until they settle, so that the
 * proxy can hand them to `event.waitUntil`: a sink that POSTs each event must not be cut off when
 * an edge or serverless runtime stops after the response.
 */
export function trackPendingWrites(sink: ExposureSink): { readonly sink: ExposureSink; readonly pending: () => Promise<unknown>[] } {
  const pending = new Set<Promise<unknown>>();
  const tracked: ExposureSink = {
    write(event) {
      const result = sink.write(event);
      if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
        const settled = Promise.resolve(result).then(ignore, ignore);
        pending.add(settled);
        void settled.then(() => pending.delete(settled));
      }
      return result;
    },
    ...(typeof sink.flush === 'function' && { flush: () => sink.flush!() }),
    ...(typeof sink.close === 'function' && { close: () => sink.close!() }),
  };
  return { sink: tracked, pending: () => [...pending] };
}
