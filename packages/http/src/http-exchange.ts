import type { RequestFacts } from './request-facts.js';

/**
 * One request and its response as an adapter presents them to {@link RequestAssignments}.
 *
 * @example
 * ```ts
 * const exchange: HttpExchange<Request> = {
 *   request,
 *   cookieHeader: request.headers.get('cookie') ?? undefined,
 *   isSecure: () => new URL(request.url).protocol === 'https:',
 *   setHeader: (name, value) => response.headers.set(name, value),
 *   addCookie: (cookie) => response.headers.append('set-cookie', cookie),
 * };
 * ```
 */
export interface HttpExchange<Req> {
  /** The framework's request, as `user`, `attributes` and the QA-override reader take it. */
  readonly request: Req;
  /** The request's `Cookie` header. */
  readonly cookieHeader: string | undefined;
  /** What the adapter already knows about this request; each field given replaces the option of that name. */
  readonly facts?: RequestFacts | undefined;
  /** Whether the request came over HTTPS; asked once, when the first cookie is written. */
  isSecure(): boolean;
  /** Sets a response header. Throws once the response has started, as Node's `setHeader` does. */
  setHeader(name: string, value: string): void;
  /** Adds one `Set-Cookie` response header. Throws once the response has started. */
  addCookie(setCookie: string): void;
  /**
   * Whether the response has started, so that headers can no longer be written: asked after a
   * write threw, to say so in the report. Default: never.
   */
  responseStarted?(): boolean;
}
