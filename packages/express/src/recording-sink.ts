import type { ExposureEvent, ExposureSink } from '@bucketry/core';
import type { RecentExposuresBuffer } from './recent-exposures-buffer.js';

/**
 * A sink that keeps each exposure in a {@link RecentExposuresBuffer} and passes it on to `next`
 * (if any). Give it to the client as its sink: the client's de-duplication sits in front, so the
 * buffer sees what the real sink sees. Whatever `next` does is left to the client's `onError`.
 *
 * @example
 * ```ts
 * const recent = createRecentExposuresBuffer();
 * const experiments = createExperimentMiddleware({
 *   experiments: [skillTree],
 *   sink: recordingSink(recent, createBatchingSink({ deliver })),
 * });
 * app.get('/api/events', recentExposuresRoute({ buffer: recent, enabled: true, token: process.env.EVENTS_TOKEN }));
 * ```
 */
export function recordingSink(buffer: RecentExposuresBuffer<ExposureEvent>, next?: ExposureSink): ExposureSink {
  return {
    write(event) {
      buffer.record(event);
      return next?.write(event);
    },
    flush: () => next?.flush?.() ?? Promise.resolve(),
    close: () => next?.close?.() ?? Promise.resolve(),
  };
}
