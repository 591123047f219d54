import type { Assignment, Experiment } from '@bucketry/core';
import { RequestAssignments, type ExperimentKey, type RequestFacts, type RequestUnit, type VariantOf } from '@bucketry/http';
import { NextResponse, type NextRequest } from 'next/server.js';
import { ASSIGNMENTS_HEADER, encodeAssignments, plainAssignment } from './forwarded.js';
import { keepAlive, type WaitUntil } from './keep-alive.js';
import { NextExchange } from './next-exchange.js';
import type { NextSettings } from './next-options.js';

/**
 * What the proxy decided for one request, for building your own response (a rewrite, a redirect,
 * another proxy's response): forward `requestHeaders` and pass the response through `applyTo`.
 *
 * @example
 * ```ts
 * export function proxy(request: NextRequest, event: NextFetchEvent) {
 *   const assigned: ProxyAssignments<typeof skillTree> = bucketry.assignRequest(request, event);
 *   const layout = assigned.variant('skill_tree_layout');
 *   const url = new URL(`/skills/${layout}`, request.url);
 *   return assigned.applyTo(NextResponse.rewrite(url, { request: { headers: assigned.requestHeaders } }));
 * }
 * ```
 */
export interface ProxyAssignments<E extends Experiment = Experiment> {
  /** The assignments of this request's experiments, as plain objects. */
  readonly assignments: readonly Assignment[];
  /**
   * The request's headers plus the assignments, for `NextResponse.next({ request: { headers } })` or
   * `rewrite`; its `Cookie` has the cookies this response sets, so that `cookies()` in the page agrees.
   */
  readonly requestHeaders: Headers;
  /** Who the request is about, as assigned (a new visitor's id is issued here); `none` on a route with no experiments. */
  readonly unit: RequestUnit;
  /** The variant of an experiment assigned on this request; control (and a report) for one that was not. */
  variant<K extends ExperimentKey<E>>(key: K): VariantOf<E, K>;
  /** Sets `X-Experiment-<Name>` and the `Set-Cookie` headers on the response; returns it. */
  applyTo<R extends Response>(response: R): R;
}

/** A browser prefetch or prerender: assigned (so that the page is right if shown) but not an exposure. */
const isPrefetch = (request: NextRequest): boolean =>
  /prefetch|prerender/i.test(request.headers.get('sec-purpose') ?? request.headers.get('purpose') ?? '') || request.headers.has('next-router-prefetch');

/** A request whose unit's sticky records were loaded (see `proxy-sticky.ts`): its route's keys, its exchange and its assignments so far. */
export interface LoadedRequest {
  readonly keys: readonly string[];
  readonly exchange: NextExchange;
  readonly assignments: RequestAssignments<NextRequest>;
}

/**
 * The proxy's work for one request, without the response: assigns the route's experiments,
 * exposes them (with `event.waitUntil` until delivered), and forwards them in the request headers.
 * A failure gives control and is reported; throws only when `request` has no headers to copy.
 * `loaded`: the request as `loadThenAssign` prepared it, its sticky records loaded.
 */
export function assignRequest(
  settings: NextSettings,
  request: NextRequest,
  event?: WaitUntil,
  facts?: RequestFacts,
  loaded?: LoadedRequest,
): ProxyAssignments {
  const { http, keysFor, pendingWrites, signature } = settings;
  const { report } = http;
  let exchange: NextExchange | undefined;
  let assignments: Assignment[] = [];
  let unit: RequestUnit = { kind: 'none' };
  // Outside the try: forwarding a partial copy would strip the page's request headers.
  const requestHeaders = new Headers(request.headers);
  try {
    // Without a secret nothing is assigned or written: the page could not tell this proxy's word from a client's.
    if (signature instanceof Error) throw signature;
    exchange = loaded?.exchange ?? new NextExchange(request, facts);
    const perRequest = loaded?.assignments ?? new RequestAssignments(http, exchange);
    const expose = settings.expose && !isPrefetch(request);
    assignments = (loaded?.keys ?? keysFor(request)).map((key) => plainAssignment(perRequest.show(key, expose)));
    if (assignments.length > 0) unit = perRequest.unit();
    if (perRequest.exposed > 0) keepAlive(event, pendingWrites, http.client, report);
    // So that cookies() in the page agrees with the proxy on this very request.
    const cookie = exchange.forwardedCookieHeader();
    if (cookie !== undefined) requestHeaders.set('cookie', cookie);
  } catch (error) {
    report(error, { source: 'middleware' });
  }
  // Whatever a client sent under this name is replaced (or removed): only the proxy's signed word reaches the page.
  if (signature instanceof Error) requestHeaders.delete(ASSIGNMENTS_HEADER);
  else requestHeaders.set(ASSIGNMENTS_HEADER, signature.sign(encodeAssignments(assignments)));
  return {
    assignments,
    requestHeaders,
    unit,
    variant: ((key: string) => {
      const found = assignments.find((a) => a.experiment === key);
      if (found !== undefined) return found.variant;
      const { control } = http.experiment(key);
      report(new Error(`${key} is not assigned on ${request.nextUrl.pathname} (see routes)`), { source: 'middleware', experiment: key });
      return control;
    }) as ProxyAssignments['variant'],
    applyTo: <R extends Response>(response: R): R => {
      try {
        exchange?.writeTo(response);
      } catch (error) {
        report(error, { source: 'response' });
      }
      return response;
    },
  };
}

/** The response for what the proxy assigned: the request goes on with the assignments forwarded and the response headers set. */
export const forwardingResponse = (assigned: ProxyAssignments): NextResponse =>
  assigned.applyTo(NextResponse.next({ request: { headers: assigned.requestHeaders } }));

/** The response when assigning threw: only a request that is not a request gets here. Reported; the page then shows control. */
export function unassignedResponse(settings: NextSettings, error: unknown): NextResponse {
  settings.http.report(error, { source: 'middleware' });
  return NextResponse.next();
}

/** The proxy's response (see {@link forwardingResponse}). Never throws. */
export function proxyResponse(settings: NextSettings, request: NextRequest, event?: WaitUntil, facts?: RequestFacts): NextResponse {
  try {
    return forwardingResponse(assignRequest(settings, request, event, facts));
  } catch (error) {
    return unassignedResponse(settings, error);
  }
}
