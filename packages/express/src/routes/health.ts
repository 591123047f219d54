import type { ExpressHandler } from '../express-types.js';
import { invalidOption } from '../package-name.js';
import { sendJson } from './send-json.js';

/**
 * Options of {@link healthRoute}.
 *
 * @example
 * ```ts
 * const options: HealthRouteOptions = { details: () => ({ exposures: batchingSink.stats() }) };
 * ```
 */
export interface HealthRouteOptions {
  /** Extra fields for the answer, e.g. the exposure sink's counters. A throw makes the answer 503. */
  readonly details?: () => Record<string, unknown>;
}

/**
 * A health route: `200 {"status":"ok"}` (plus `details`), or `503 {"status":"error"}` when
 * `details` throws. It assigns nothing and never touches the sink.
 *
 * @example
 * ```ts
 * app.get('/api/healthz', healthRoute({ details: () => ({ exposures: sink.stats() }) }));
 * // curl -s http://127.0.0.1:3000/api/healthz  →  {"status":"ok","exposures":{...}}
 * ```
 */
export function healthRoute(options: HealthRouteOptions = {}): ExpressHandler {
  const details = options?.details;
  if (details !== undefined && typeof details !== 'function') invalidOption('details', details, 'must be a function');
  return function healthHandler(_req, res): void {
    let extra: Record<string, unknown> | undefined;
    try {
      extra = details?.();
    } catch {
      sendJson(res, 503, { status: 'error' });
      return;
    }
    sendJson(res, 200, { status: 'ok', ...extra });
  };
}
