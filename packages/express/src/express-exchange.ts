import type { HttpExchange } from '@bucketry/http';
import type { Request } from 'express';
import type { ExpressRequest, ExpressResponse } from './express-types.js';

/**
 * An Express request and its response as the shared HTTP rules see them. A class, not an object
 * literal with a getter and arrow functions: that literal cost 3-4 us a request, most of it in the
 * garbage collector (V8 builds such literals slowly and they outlived the young generation).
 */
export class ExpressExchange implements HttpExchange<Request> {
  readonly #req: ExpressRequest;
  readonly #res: ExpressResponse;
  constructor(req: ExpressRequest, res: ExpressResponse) {
    this.#req = req;
    this.#res = res;
  }
  get request(): Request {
    return this.#req as Request;
  }
  get cookieHeader(): string | undefined {
    return this.#req.headers.cookie;
  }
  // Express computes req.secure on each read (trust proxy, X-Forwarded-Proto); it is asked once.
  isSecure(): boolean {
    return this.#req.secure === true;
  }
  setHeader(name: string, value: string): void {
    this.#res.setHeader(name, value);
  }
  // appendHeader validates only the new value; rebuilding the array re-validated every cookie.
  addCookie(cookie: string): void {
    this.#res.appendHeader('Set-Cookie', cookie);
  }
  responseStarted(): boolean {
    return this.#res.headersSent;
  }
}
