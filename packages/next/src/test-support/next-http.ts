import { createFetchSink, type FetchSinkOptions } from '@bucketry/http';
import { NextRequest, type NextResponse } from 'next/server.js';
import type { WaitUntil } from '../keep-alive.js';

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

/**
 * A fetch sink whose collector is an array: each POSTed batch's events land in `posted`. Its
 * timer is a minute, so anything delivered sooner was flushed by the proxy.
 */
export function recordingFetchSink(options: Partial<FetchSinkOptions> = {}) {
  const posted: unknown[] = [];
  const sink = createFetchSink({
    url: 'https://collector.example.com/exposures',
    flushIntervalMs: 60_000,
    fetch: async (_url, init) => (posted.push(...(JSON.parse(String(init!.body)) as unknown[])), new Response(null, { status: 202 })),
    ...options,
  });
  return { sink, posted };
}
