import type { IncomingMessage, ServerResponse } from 'node:http';

// Handlers are typed on Node's own request and response, plus the few Express fields read here,
// rather than on Express's types: the same handler then fits an app typed with @types/express 4
// or 5, and a route's own parameter types are left alone.

/** An Express request as this package reads it: Node's request plus the Express fields used here. */
export interface ExpressRequest extends IncomingMessage {
  /** Express: whether the request came over HTTPS (honouring `trust proxy`). */
  readonly secure?: boolean;
  /** Express: the URL before any router stripped its mount path. */
  readonly originalUrl?: string;
}

/** The query string (without `?`, empty when there is none) of the URL before any router stripped its mount path. */
export function queryString(req: ExpressRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}

/** An Express response as this package writes it: Node's response plus `res.locals`. */
export type ExpressResponse<Locals extends Record<string, unknown> = Record<string, any>> = ServerResponse & { locals: Locals }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Express's `next`. */
export type ExpressNext = (error?: unknown) => void;

/**
 * A handler that fits `app.get`, `app.use` and routers of Express 4 and 5.
 *
 * @example
 * ```ts
 * const handler: ExpressHandler = healthRoute();
 * app.get('/api/healthz', handler);
 * ```
 */
export type ExpressHandler<Locals extends Record<string, unknown> = Record<string, any>> = ( // eslint-disable-line @typescript-eslint/no-explicit-any
  req: ExpressRequest,
  res: ExpressResponse<Locals>,
  next: ExpressNext,
) => void;
