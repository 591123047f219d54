import { NextRequest, type NextResponse } from 'next/server.js';
import type { WaitUntil } from '../next-experiments.js';

/** A request as Next hands it to the proxy. */
export function nextRequest(path: string, { headers = {}, https = false }: { headers?: HeadersInit; https?: boolean } = {}): NextRequest {
  return new NextRequest(`${https ? 'https' : 'http'}://shop.example${path}`, { headers });
}

/**
 * The request headers the page gets after this proxy response, read the way Next's server
 * applies `NextResponse.next({ request: { headers } })`: the listed names replace the request's
 * headers.
 */
export function forwardedHeaders(response: NextResponse | Response): Headers {
  const names = response.headers.get('x-middleware-override-headers');
  if (names === null) throw new Error('the response forwards no request headers (x-middleware-override-headers is missing)');
  const headers = new Headers();
  for (const name of names.split(',')) {
    const value = response.headers.get(`x-middleware-request-${name.trim()}`);
    if (value !== null) headers.set(name.trim(), value);
  }
  return headers;
}

/** A `NextFetchEvent` stand-in that keeps what it is asked to wait for. */
export function recordingEvent(): WaitUntil & { readonly promises: Promise<unknown>[] } {
  const promises: Promise<unknown>[] = [];
  return { promises, waitUntil: (promise) => void promises.push(promise) };
}
