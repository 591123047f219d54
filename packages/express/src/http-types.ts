import type { IncomingMessage, ServerResponse } from 'node:http';

// Handlers are typed on Node's own request and response, plus the few Express fields read here,
// rather than on Express's types: the same handler then fits an app typed with @types/express 4
// or 5, and a route's own parameter types are left alone.

/** The parts of an Express request this package reads. */
export interface HttpRequest extends IncomingMessage {
  /** Express: whether the request came over HTTPS (honouring `trust proxy`). */
  readonly secure?: boolean;
  /** Express: the URL before any router stripped its mount path. */
  readonly originalUrl?: string;
}

/** The query string (without `?`, empty when there is none) of the URL before any router stripped its mount path. */
export function queryString(req: HttpRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const mark = url.indexOf('?');
  return mark === -1 ? '' : url.slice(mark + 1);
}

/** An Express response as this package sees it. */
export type HttpResponse<Locals extends Record<string, unknown> = Record<string, any>> = ServerResponse & { locals: Locals }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Express's `next`. */
export type NextHandler = (error?: unknown) => void;

/**
 * A handler that fits `app.get`, `app.use` and routers of Express 4 and 5.
 *
 * @example
 * ```ts
 * const handler: HttpHandler = healthRoute();
 * app.get('/api/healthz', handler);
 * ```
 */
export type HttpHandler<Locals extends Record<string, unknown> = Record<string, any>> = ( // eslint-disable-line @typescript-eslint/no-explicit-any
  req: HttpRequest,
  res: HttpResponse<Locals>,
  next: NextHandler,
) => void;
