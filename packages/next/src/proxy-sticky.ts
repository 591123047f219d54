import { RequestAssignments, type RequestFacts } from '@bucketry/http';
import type { NextRequest, NextResponse } from 'next/server.js';
import type { WaitUntil } from './keep-alive.js';
import { NextExchange } from './next-exchange.js';
import type { NextSettings } from './next-options.js';
import { assignRequest, forwardingResponse, unassignedResponse, type LoadedRequest, type ProxyAssignments } from './proxy.js';

// With a `sticky` store, the proxy first loads the records of the request's unit (one round trip
// for every experiment; none for a visitor whose id is new, nor on a route without experiments),
// then assigns as without one. Only then does it return a promise: without a store, the proxy
// stays synchronous.

/**
 * {@link assignRequest} after the unit's sticky records are loaded. Never waits longer than the
 * store's `load` (the live stores bound it by their `loadTimeout`); a load that throws or rejects
 * is reported and the request is assigned without the records. Rejects only when `request` has
 * no headers to copy, where `assignRequest` throws.
 */
export function loadThenAssign(settings: NextSettings, request: NextRequest, event?: WaitUntil, facts?: RequestFacts): Promise<ProxyAssignments> {
  let loaded: LoadedRequest | undefined;
  let loading: Promise<void> | undefined;
  try {
    const keys = settings.keysFor(request);
    const exchange = new NextExchange(request, facts);
    loaded = { keys, exchange, assignments: new RequestAssignments(settings.http, exchange) };
    if (keys.length > 0) loading = loaded.assignments.loadSticky();
  } catch (error) {
    settings.http.report(error, { source: 'middleware' });
  }
  const assign = (): ProxyAssignments => assignRequest(settings, request, event, facts, loaded);
  return loading === undefined ? Promise.resolve().then(assign) : loading.then(assign);
}

/** The proxy's response after the unit's sticky records are loaded, as `proxyResponse` makes it. Never rejects. */
export function loadThenRespond(settings: NextSettings, request: NextRequest, event?: WaitUntil, facts?: RequestFacts): Promise<NextResponse> {
  return loadThenAssign(settings, request, event, facts)
    .then(forwardingResponse)
    .catch((error: unknown) => unassignedResponse(settings, error));
}
