import { fallbackAssignment, type Assignment, type Bucketry, type Experiment } from '@bucketry/core';
import {
  RequestAssignments,
  invalidOption,
  resolveHttpSettings,
  withPackageName,
  type ExperimentKey,
  type HttpExchange,
  type HttpExperimentOptions,
  type QaOverrideSource,
  type RequestFacts,
  type RequestUnit,
  type VariantOf,
} from '@bucketry/http';
import { NextResponse, type NextRequest } from 'next/server.js';
import { ASSIGNMENTS_HEADER, decodeAssignments, encodeAssignments, plainAssignment } from './forwarded.js';
import { cookieHeaderAfter } from './forwarded-cookies.js';
import { PACKAGE_NAME } from './package-name.js';
import { trackPendingWrites } from './pending-writes.js';
import { routeKeys, type ExperimentRoutes } from './routes.js';

/**
 * What the proxy needs of Next's second argument (`NextFetchEvent`): `waitUntil`, which keeps the
 * invocation alive after the response until exposures are delivered.
 *
 * @example
 * ```ts
 * export function proxy(request: NextRequest, event: NextFetchEvent) {
 *   const keepAlive: WaitUntil = event;
 *   return bucketry.proxy(request, keepAlive);
 * }
 * ```
 */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Request headers as Server Components (`await headers()`) and route handlers (`request.headers`)
 * see them.
 *
 * @example
 * ```ts
 * const source: HeadersLike = await headers();
 * bucketry.fromHeaders(source).variant('skill_tree_layout');
 * ```
 */
export interface HeadersLike {
  get(name: string): string | null;
}

/**
 * Options of {@link createNextExperiments}: those every Bucketry adapter shares (experiments or a
 * client, the sink, who the user is, cookies, QA overrides, `onError`), with Next's `NextRequest`,
 * plus which experiments each route assigns and whether the proxy exposes. `user` and `attributes`
 * are synchronous; what takes an `await` (a session lookup) goes to `proxy` as {@link RequestFacts}.
 *
 * @example
 * ```ts
 * const options: NextExperimentsOptions<typeof skillTree> = {
 *   experiments: [skillTree],
 *   routes: { '/skills': ['skill_tree_layout'] },
 *   user: (request) => request.cookies.get('session_user')?.value,
 *   sink: createFetchSink({ url: 'https://collector.example.com/exposures' }),
 * };
 * ```
 */
export interface NextExperimentsOptions<E extends Experiment = Experiment> extends HttpExperimentOptions<NextRequest, E> {
  /** Which experiments a request gets. Default: all of them, on every request the proxy runs for. */
  readonly routes?: ExperimentRoutes<ExperimentKey<E>>;
  /**
   * Whether the proxy writes exposures. Default `true`. Browser prefetches (`Sec-Purpose:
   * prefetch`) are assigned but never exposed. `false` leaves exposures to the page, e.g. the
   * React provider's sink.
   */
  readonly expose?: boolean;
}

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

/**
 * The proxy's assignments as a Server Component or route handler reads them.
 *
 * @example
 * ```tsx
 * const experiments: ServerExperiments<typeof skillTree> = bucketry.fromHeaders(await headers());
 * return <ExperimentProvider assignments={experiments.assignments}>{children}</ExperimentProvider>;
 * ```
 */
export interface ServerExperiments<E extends Experiment = Experiment> {
  /**
   * The forwarded assignments, as plain objects with their experiment's `configVersion`: what
   * `@bucketry/react`'s `ExperimentProvider` takes as `assignments`.
   */
  readonly assignments: readonly (Assignment & { readonly configVersion: string })[];
  /** The variant to render. Control (reported to `onError`) when the proxy did not assign this experiment. */
  variant<K extends ExperimentKey<E>>(key: K): VariantOf<E, K>;
  /** Like {@link ServerExperiments.variant}, with the reason, bucket and unit. */
  assignment<K extends ExperimentKey<E>>(key: K): Assignment<VariantOf<E, K>>;
}

/**
 * What {@link createNextExperiments} returns: the proxy, the reader for Server Components and
 * route handlers, and the client.
 *
 * @example
 * ```ts
 * export const bucketry: NextExperiments<typeof skillTree> = createNextExperiments({ experiments: [skillTree] });
 * ```
 */
export interface NextExperiments<E extends Experiment = Experiment> {
  /**
   * The proxy: call it from `proxy.ts` (Next.js 16) or `middleware.ts` (Next.js 15). Assigns the
   * route's experiments, forwards them to the page as a request header, sets `X-Experiment-<Name>`
   * and `exp_<key>` on the response, and exposes without delaying it. Never throws. `facts` replace
   * the `user` / `attributes` options for this request, for what your proxy looked up with `await`.
   */
  proxy(request: NextRequest, event?: WaitUntil, facts?: RequestFacts): NextResponse;
  /**
   * The proxy's work without the response, for composing with your own (see {@link ProxyAssignments}).
   * Throws only when `request` has no headers to copy.
   */
  assignRequest(request: NextRequest, event?: WaitUntil, facts?: RequestFacts): ProxyAssignments<E>;
  /** Reads what the proxy forwarded: `fromHeaders(await headers())` in a Server Component, `fromHeaders(request.headers)` in a route handler. */
  fromHeaders(headers: HeadersLike): ServerExperiments<E>;
  /** The client: to assign outside a request, or for `client.experiment(key)`. */
  readonly client: Bucketry<E>;
  /** Delivers queued exposures and closes the sink. */
  close(): Promise<void>;
}

const nextOverrideSource: QaOverrideSource<NextRequest> = {
  header: (request, name) => request.headers.get(name),
  search: (request) => request.nextUrl.search,
};

/** Where a Next app looks up a user or attributes that take an `await`: for a `user` or `attributes` that returns a promise. */
const awaitInProxy = (option: 'user' | 'attributes'): string =>
  `Await the lookup in your proxy and pass the ${option}: bucketry.proxy(request, event, { ${option} })`;

/** A browser prefetch or prerender: assigned (so that the page is right if shown) but not an exposure. */
const isPrefetch = (request: NextRequest): boolean =>
  /prefetch|prerender/i.test(request.headers.get('sec-purpose') ?? request.headers.get('purpose') ?? '') || request.headers.has('next-router-prefetch');

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
 * @example
 * ```ts
 * // bucketry.ts
 * import { defineExperiment, rolloutFromPercentEnv } from '@bucketry/core';
 * import { createFetchSink, createNextExperiments } from '@bucketry/next';
 *
 * export const skillTree = defineExperiment({
 *   key: 'skill_tree_layout',
 *   variants: ['tree', 'list'],
 *   rollout: rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT'),
 * });
 * export const bucketry = createNextExperiments({
 *   experiments: [skillTree],
 *   routes: { '/skills': ['skill_tree_layout'] },
 *   user: (request) => request.headers.get('x-user-id'),
 *   sink: createFetchSink({ url: process.env.EXPOSURES_URL! }),
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
export function createNextExperiments<const E extends Experiment = Experiment>(options: NextExperimentsOptions<E>): NextExperiments<E> {
  let pendingWrites: () => Promise<unknown>[] = () => [];
  const { settings, client, keysFor, exposeInProxy } = withPackageName(PACKAGE_NAME, () => {
    if (options === null || typeof options !== 'object') invalidOption('options', options, 'must be an object');
    let httpOptions: HttpExperimentOptions<NextRequest, E> = options;
    const sink = options.sink as unknown;
    if (sink !== null && typeof sink === 'object' && typeof (sink as { write?: unknown }).write === 'function') {
      const tracked = trackPendingWrites(options.sink!);
      httpOptions = { ...httpOptions, sink: tracked.sink };
      pendingWrites = tracked.pending;
    }
    const { settings, client } = resolveHttpSettings(PACKAGE_NAME, httpOptions, nextOverrideSource, awaitInProxy);
    const expose = options.expose ?? true;
    if (typeof expose !== 'boolean') invalidOption('expose', expose, 'must be true or false');
    return {
      settings,
      client,
      keysFor: routeKeys(options.routes, new Set(settings.byKey.keys()), settings.report),
      exposeInProxy: expose,
    };
  });
  const { report, byKey, experiment } = settings;

  /** Keeps the invocation alive until this request's exposures are delivered (or given up on). */
  const keepAlive = (event: WaitUntil | undefined): void => {
    if (typeof event?.waitUntil !== 'function') return;
    const delivered = Promise.all(pendingWrites())
      .then(() => client.flush())
      .catch((error: unknown) => report(error, { source: 'sink' }));
    try {
      event.waitUntil(delivered);
    } catch (error) {
      report(error, { source: 'middleware' });
    }
  };

  const assignRequest = (request: NextRequest, event?: WaitUntil, facts?: RequestFacts): ProxyAssignments<E> => {
    const headers: [string, string][] = [];
    const cookies: string[] = [];
    let assignments: Assignment[] = [];
    let unit: RequestUnit = { kind: 'none' };
    // Outside the try: forwarding a partial copy would strip the page's request headers.
    const requestHeaders = new Headers(request.headers);
    try {
      const exchange: HttpExchange<NextRequest> = {
        request,
        cookieHeader: request.headers.get('cookie') ?? undefined,
        facts: facts !== null && typeof facts === 'object' ? facts : undefined,
        isSecure: () => request.nextUrl.protocol === 'https:',
        setHeader: (name, value) => headers.push([name, value]),
        addCookie: (cookie) => cookies.push(cookie),
      };
      const perRequest = new RequestAssignments(settings, exchange);
      const expose = exposeInProxy && !isPrefetch(request);
      assignments = keysFor(request).map((key) => plainAssignment(perRequest.show(key, expose)));
      if (assignments.length > 0) unit = perRequest.unit();
      if (perRequest.exposed > 0) keepAlive(event);
      // So that cookies() in the page agrees with the proxy on this very request.
      if (cookies.length > 0) requestHeaders.set('cookie', cookieHeaderAfter(exchange.cookieHeader, cookies));
    } catch (error) {
      report(error, { source: 'middleware' });
    }
    // Whatever a client sent under this name is replaced: only the proxy's word reaches the page.
    requestHeaders.set(ASSIGNMENTS_HEADER, encodeAssignments(assignments));
    return {
      assignments,
      requestHeaders,
      unit,
      variant: ((key: string) => {
        const found = assignments.find((a) => a.experiment === key);
        if (found !== undefined) return found.variant;
        const { control } = experiment(key);
        report(new Error(`${key} is not assigned on ${request.nextUrl.pathname} (see routes)`), { source: 'middleware', experiment: key });
        return control;
      }) as ProxyAssignments<E>['variant'],
      applyTo(response) {
        try {
          for (const [name, value] of headers) response.headers.set(name, value);
          for (const cookie of cookies) response.headers.append('set-cookie', cookie);
        } catch (error) {
          report(error, { source: 'response' });
        }
        return response;
      },
    };
  };

  const proxy = (request: NextRequest, event?: WaitUntil, facts?: RequestFacts): NextResponse => {
    try {
      const assigned = assignRequest(request, event, facts);
      return assigned.applyTo(NextResponse.next({ request: { headers: assigned.requestHeaders } }));
    } catch (error) {
      // Only a request that is not a request gets here; the page then shows control.
      report(error, { source: 'middleware' });
      return NextResponse.next();
    }
  };

  const fromHeaders = (source: HeadersLike): ServerExperiments<E> => {
    let raw: string | null = null;
    try {
      raw = source.get(ASSIGNMENTS_HEADER);
    } catch (error) {
      report(error, { source: 'forwarded' });
    }
    let forwarded: ReadonlyMap<string, Assignment> = new Map();
    if (raw !== null) {
      const decoded = decodeAssignments(raw, byKey);
      forwarded = decoded.assignments;
      if (decoded.problems.length > 0) report(new Error(`ignored in ${ASSIGNMENTS_HEADER}: ${decoded.problems.join('; ')}`), { source: 'forwarded' });
    }
    const fallbacks = new Map<string, Assignment>();
    const assignment = (key: string): Assignment => {
      const found = forwarded.get(key);
      if (found !== undefined) return found;
      let fallback = fallbacks.get(key);
      if (fallback === undefined) {
        const known = experiment(key);
        const error = new Error(
          raw === null
            ? `no ${ASSIGNMENTS_HEADER} header: the proxy did not run for this request (see config.matcher in proxy.ts), or the page was rendered without a request (static or cached); showing control`
            : `the proxy did not assign ${key} on this route (see routes); showing control`,
        );
        report(error, { source: 'forwarded', experiment: key });
        fallback = fallbackAssignment(key, known.control, error);
        fallbacks.set(key, fallback);
      }
      return fallback;
    };
    return {
      assignments: [...forwarded.values()].map((a) => ({ ...a, configVersion: byKey.get(a.experiment)!.version })),
      assignment: assignment as ServerExperiments<E>['assignment'],
      variant: ((key: string) => assignment(key).variant) as ServerExperiments<E>['variant'],
    };
  };

  return { proxy, assignRequest, fromHeaders, client, close: () => client.close() };
}
