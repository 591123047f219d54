import type { HttpExchange, RequestFacts } from '@bucketry/http';
import type { NextRequest } from 'next/server.js';
import { cookieHeaderAfter } from './forwarded-cookies.js';

/**
 * A proxy request as the shared HTTP rules see it, and what they write for its response: the
 * headers and cookies are kept until the response exists (see {@link NextExchange.writeTo}). A
 * class, as Express's exchange is: an object literal of arrow functions costs more per request.
 */
export class NextExchange implements HttpExchange<NextRequest> {
  // `declare`: set in the constructor only, not emitted as class fields too (bytes in every proxy bundle).
  declare readonly request: NextRequest;
  declare readonly cookieHeader: string | undefined;
  declare readonly facts: RequestFacts | undefined;
  /** Response headers, name then value: no pair array per header. */
  readonly #headers: string[] = [];
  readonly #cookies: string[] = [];

  constructor(request: NextRequest, facts: RequestFacts | undefined) {
    this.request = request;
    this.cookieHeader = request.headers.get('cookie') ?? undefined;
    this.facts = facts !== null && typeof facts === 'object' ? facts : undefined;
  }

  isSecure(): boolean {
    return this.request.nextUrl.protocol === 'https:';
  }

  setHeader(name: string, value: string): void {
    this.#headers.push(name, value);
  }

  addCookie(setCookie: string): void {
    this.#cookies.push(setCookie);
  }

  /** The request's `Cookie` header with the cookies this response sets, for the page; `undefined` when it sets none. */
  forwardedCookieHeader(): string | undefined {
    return this.#cookies.length > 0 ? cookieHeaderAfter(this.cookieHeader, this.#cookies) : undefined;
  }

  /** Sets the headers and appends the `Set-Cookie` headers on the response. Throws where its headers do (immutable ones). */
  writeTo(response: Response): void {
    const headers = this.#headers;
    for (let i = 0; i < headers.length; i += 2) response.headers.set(headers[i]!, headers[i + 1]!);
    for (const cookie of this.#cookies) response.headers.append('set-cookie', cookie);
  }
}
