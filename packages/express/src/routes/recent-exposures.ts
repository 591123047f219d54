import type { ExposureEvent } from '@bucketry/core';
import { staffTokenMatches } from '@bucketry/http';
import { invalidOption } from '../package-name.js';
import { queryString, type ExpressHandler, type ExpressRequest } from '../express-types.js';
import type { RecentExposuresBuffer } from '../recent-exposures-buffer.js';
import { sendJson } from './send-json.js';

/**
 * The shortest token accepted: shorter ones are too easy to guess.
 *
 * @example
 * ```ts
 * const token = randomBytes(24).toString('base64url'); // 32 characters, well above MIN_TOKEN_LENGTH
 * ```
 */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Options of {@link recentExposuresRoute}.
 *
 * @example
 * ```ts
 * const options: RecentExposuresRouteOptions = { buffer: recent, enabled: true, token: process.env.EVENTS_TOKEN, defaultLimit: 50 };
 * ```
 */
export interface RecentExposuresRouteOptions<T = ExposureEvent> {
  /** Where the events are kept. */
  readonly buffer: RecentExposuresBuffer<T>;
  /** Off by default: the route then passes the request on (usually to a 404). */
  readonly enabled?: boolean;
  /** Required when enabled, at least 16 characters; callers send `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Events returned without `?limit`. Default 20. */
  readonly defaultLimit?: number;
}

/** Reads `limit` from the query string; `undefined` when absent, `NaN` when malformed. */
function limitParameter(req: ExpressRequest): number | undefined {
  const raw = new URLSearchParams(queryString(req)).get('limit');
  if (raw === null) return undefined;
  return /^\d{1,9}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : Number.NaN;
}

/**
 * A route answering the latest events, newest first: `GET /api/events?limit=N` →
 * `{"events":[...]}`. Off unless `enabled`; when on, it asks for `Authorization: Bearer <token>`
 * (401 otherwise). `limit` must be a whole number from 1; above the buffer's capacity it is
 * capped at the capacity.
 *
 * @example
 * ```ts
 * const recent = createRecentExposuresBuffer();
 * app.get('/api/events', recentExposuresRoute({
 *   buffer: recent,
 *   enabled: process.env.EVENTS_TOKEN !== undefined,
 *   token: process.env.EVENTS_TOKEN,
 * }));
 * // curl -s -H "Authorization: Bearer $EVENTS_TOKEN" 'http://127.0.0.1:3000/api/events?limit=5'
 * ```
 */
export function recentExposuresRoute<T = ExposureEvent>(options: RecentExposuresRouteOptions<T>): ExpressHandler {
  if (options === null || typeof options !== 'object') invalidOption('options', options, 'must be an object');
  const { buffer } = options;
  if (buffer === null || typeof buffer !== 'object' || typeof buffer.latest !== 'function') {
    invalidOption('buffer', buffer, 'must be a buffer from createRecentExposuresBuffer');
  }
  const enabled = options.enabled ?? false;
  if (typeof enabled !== 'boolean') invalidOption('enabled', enabled, 'must be true or false');
  const defaultLimit = options.defaultLimit ?? 20;
  if (!Number.isInteger(defaultLimit) || defaultLimit < 1) invalidOption('defaultLimit', defaultLimit, 'must be a whole number >= 1');

  if (!enabled) {
    return function recentExposuresOff(_req, _res, next): void {
      next();
    };
  }
  const { token } = options;
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || token.trim() !== token) {
    // Never echo the token itself.
    invalidOption('token', typeof token === 'string' ? `a string of ${token.length} characters` : token, `must be a string of at least ${MIN_TOKEN_LENGTH} characters without surrounding spaces when enabled`);
  }

  return function recentExposuresHandler(req, res): void {
    const header = req.headers.authorization;
    const presented = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
    // Digests compared in constant time: the time taken says nothing about the token, nor its length.
    if (!staffTokenMatches(presented, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="bucketry"');
      sendJson(res, 401, { error: 'a valid bearer token is required' });
      return;
    }
    const limit = limitParameter(req);
    if (Number.isNaN(limit)) {
      sendJson(res, 400, { error: 'limit must be a whole number from 1' });
      return;
    }
    sendJson(res, 200, { events: buffer.latest(Math.min(limit ?? defaultLimit, buffer.capacity)) });
  };
}
