import type { Bucketry, Experiment } from '@bucketry/core';
import type { PreloadingStickyStore, RequestFacts } from '@bucketry/http';
import type { NextRequest, NextResponse } from 'next/server.js';
import type { WaitUntil } from './keep-alive.js';
import { resolveNextOptions, type NextExperimentsOptions } from './next-options.js';
import { assignRequest, proxyResponse, type ProxyAssignments } from './proxy.js';
import { loadThenAssign, loadThenRespond } from './proxy-sticky.js';
import { readForwarded, type HeadersLike, type ServerExperiments } from './server-experiments.js';

/**
 * What {@link createNextExperiments} returns: the proxy, the reader for Server Components and
 * route handlers, and the client. `Sticky` is `true` when a `sticky` store was given: `proxy` and
 * `assignRequest` then return promises (the unit's records are loaded first); without one they
 * return at once. (`boolean` when the call cannot tell, as with options typed apart: either.)
 *
 * @example
 * ```ts
 * export const bucketry: NextExperiments<typeof skillTree> = createNextExperiments({ experiments: [skillTree] });
 * ```
 */
export interface NextExperiments<E extends Experiment = Experiment, Sticky extends boolean = false> {
  /**
   * The proxy: call it from `proxy.ts` (Next.js 16) or `middleware.ts` (Next.js 15). Assigns the
   * route's experiments, forwards them to the page as a request header, sets `X-Experiment-<Name>`
   * and `exp_<key>` on the response, and exposes without delaying it. Never throws (nor rejects).
   * `facts` replace the `user` / `attributes` options for this request, for what your proxy looked
   * up with `await`. With a `sticky` store, a promise: the unit's records are loaded first.
   */
  proxy(request: NextRequest, event?: WaitUntil, facts?: RequestFacts): Sticky extends true ? Promise<NextResponse> : NextResponse;
  /**
   * The proxy's work without the response, for composing with your own (see {@link ProxyAssignments}).
   * Throws (with a `sticky` store, rejects) only when `request` has no headers to copy.
   */
  assignRequest(request: NextRequest, event?: WaitUntil, facts?: RequestFacts): Sticky extends true ? Promise<ProxyAssignments<E>> : ProxyAssignments<E>;
  /**
   * Reads what the proxy forwarded: `fromHeaders(await headers())` in a Server Component,
   * `fromHeaders(request.headers)` in a route handler. Only a header the proxy signed is believed:
   * a client's own (on a route outside the proxy's matcher) is refused and reported, and the page
   * shows control.
   */
  fromHeaders(headers: HeadersLike): ServerExperiments<E>;
  /** The client: to assign outside a request, or for `client.experiment(key)`. */
  readonly client: Bucketry<E>;
  /** Delivers queued exposures and closes the sink; with a `sticky` store, also writes the records it queues and closes it. */
  close(): Promise<void>;
}

/**
 * Creates the Next.js integration: one object, defined once in a module that both `proxy.ts` (or
 * `middleware.ts`) and your pages import.
 *
 * The proxy assigns each request's experiments (the signed-in user from `user(request)`, else an
 * anonymous id it issues in its own cookie), sets `X-Experiment-<Name>` and the `exp_<key>` cookie
 * on the response, and forwards the assignments as a request header, so Server Components render
 * the assigned variant on the very first request, before any cookie exists (the cookies it sets
 * are forwarded too, so `cookies()` agrees). Exposures go to the
 * sink without delaying the response; with `event`, `event.waitUntil` keeps the invocation alive
 * until they are delivered. The same rules as `@bucketry/express`: the variant cookie mirrors the
 * assignment and is never input, so the kill switch beats it and a tampered one is rewritten;
 * ramps never move a treated user back; QA overrides are off by default; a failing sink never
 * fails a request. Uses no Node built-ins: runs on Next.js 16's Node proxy and Next.js 15's Edge
 * middleware alike.
 *
 * The forwarded header is signed with the deployment's secret (the `secret` option, default the
 * `BUCKETRY_SECRET` environment variable, at least 32 characters, the same for the proxy and the
 * pages), so a page never believes a client's own copy. Without a secret the app still builds, and
 * every request gets control, reported to `onError`.
 *
 * With a `sticky` store (`createPostgresStickyStore()` from `@bucketry/live`, on the Node.js
 * runtime), the proxy first loads the unit's records, one round trip for every experiment (none
 * for a cached unit or a new visitor), so units keep their first variant; `proxy` and
 * `assignRequest` then return promises. A store that is down leaves plain bucketing.
 *
 * @example
 * ```ts
 * // bucketry.ts
 * import { defineExperiment, rolloutFromPercentEnv } from '@bucketry/core';
 * import { createFetchSink, createNextExperiments, headerText } from '@bucketry/next';
 *
 * export const skillTree = defineExperiment({
 *   key: 'skill_tree_layout',
 *   variants: ['tree', 'list'],
 *   rollout: rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT'),
 * });
 * export const bucketry = createNextExperiments({
 *   experiments: [skillTree],
 *   routes: { '/skills': ['skill_tree_layout'] },
 *   user: (request) => headerText(request.headers.get('x-user-id'), 'X-User-Id'), // UTF-8
 *   sink: createFetchSink({ url: process.env.EXPOSURES_URL! }),
 *   // secret: BUCKETRY_SECRET from the environment, e.g. `openssl rand -base64 32`
 * });
 *
 * // proxy.ts
 * export function proxy(request: NextRequest, event: NextFetchEvent) {
 *   return bucketry.proxy(request, event);
 * }
 * export const config = { matcher: ['/skills/:path*'] };
 *
 * // app/skills/page.tsx
 * const layout = bucketry.fromHeaders(await headers()).variant('skill_tree_layout'); // 'tree' | 'list'
 * ```
 */
export function createNextExperiments<const E extends Experiment = Experiment>(
  options: NextExperimentsOptions<E, true> & { readonly sticky: PreloadingStickyStore },
): NextExperiments<E, true>;
// `& { sticky?: undefined }` is not redundant: TypeScript compares NextExperimentsOptions<E, boolean>
// with NextExperimentsOptions<E> by its type arguments, loosely through the conditional type, and
// would take options that may hold a store for options without one.
export function createNextExperiments<const E extends Experiment = Experiment>(options: NextExperimentsOptions<E> & { readonly sticky?: undefined }): NextExperiments<E>;
export function createNextExperiments<const E extends Experiment = Experiment>(options: NextExperimentsOptions<E, boolean>): NextExperiments<E, boolean>;
export function createNextExperiments<const E extends Experiment = Experiment>(options: NextExperimentsOptions<E, boolean>): NextExperiments<E, boolean> {
  const { settings, client } = resolveNextOptions(options);
  const sticky = settings.http.sticky;
  type Methods = Pick<NextExperiments<E, boolean>, 'proxy' | 'assignRequest'>;
  // Without a store, the proxy answers synchronously, as it did before stores existed.
  const methods: Methods =
    sticky === undefined
      ? {
          proxy: (request, event, facts) => proxyResponse(settings, request, event, facts),
          assignRequest: (request, event, facts) => assignRequest(settings, request, event, facts) as ProxyAssignments<E>,
        }
      : {
          proxy: (request, event, facts) => loadThenRespond(settings, request, event, facts),
          assignRequest: (request, event, facts) => loadThenAssign(settings, request, event, facts) as Promise<ProxyAssignments<E>>,
        };
  return {
    ...methods,
    fromHeaders: (source) => readForwarded(settings.http, settings.signature, source) as ServerExperiments<E>,
    client,
    // Both start at once: a sink that fails to close leaves the sticky store's records to be written all the same.
    close: () => Promise.all([client.close(), sticky?.close?.()]).then(() => undefined),
  };
}
