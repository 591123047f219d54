import type { Bucketry, Experiment } from '@bucketry/core';
import {
  invalidOption,
  type OptionError,
  resolveHttpSettings,
  withPackageName,
  type ExperimentKey,
  type HttpExperimentOptions,
  type HttpSettings,
  type PreloadingStickyStore,
  type QaOverrideSource,
} from '@bucketry/http';
import type { NextRequest } from 'next/server.js';
import { resolveSignature, type ForwardedSignature } from './forwarded-signature.js';
import { PACKAGE_NAME } from './package-name.js';
import { trackPendingWrites } from './pending-writes.js';
import { routeKeys, type ExperimentRoutes } from './routes.js';

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
export interface NextExperimentsOptions<E extends Experiment = Experiment, Sticky extends boolean = false> extends HttpExperimentOptions<NextRequest, E> {
  /** Which experiments a request gets. Default: all of them, on every request the proxy runs for. */
  readonly routes?: ExperimentRoutes<ExperimentKey<E>>;
  /**
   * Whether the proxy writes exposures. Default `true`. Browser prefetches (`Sec-Purpose:
   * prefetch`) are assigned but never exposed. `false` leaves exposures to the page, e.g. the
   * React provider's sink.
   */
  readonly expose?: boolean;
  /**
   * Keeps units on their first variant: `createPostgresStickyStore()` or `createRedisStickyStore()`
   * from `@bucketry/live` (Node.js runtime only: `pg` and `ioredis` do not run on the Edge). The
   * proxy then loads the unit's records before assigning, and `proxy` and `assignRequest` return
   * promises. With `client`, give the store that client was created with. (Options typed apart
   * from the call must allow it, `NextExperimentsOptions<E, true>`; that type leaves the store
   * optional, so `proxy` and `assignRequest` are then typed as either: await them.)
   */
  readonly sticky?: Sticky extends true ? PreloadingStickyStore : undefined;
  /**
   * The deployment's secret, at least 32 characters (e.g. `openssl rand -base64 32`); default the
   * `BUCKETRY_SECRET` environment variable. The proxy signs the assignments it forwards with it
   * (HMAC-SHA-256) and `fromHeaders` refuses, and reports, a header it did not sign: a client's
   * own copy on a route outside the proxy's matcher never picks a variant. The proxy and the pages
   * must have the same one. Without one, every request gets control and is reported (the app
   * still builds: `next build` runs without the runtime environment).
   */
  readonly secret?: string;
}

/** What every request of one integration shares, checked once at start-up. */
export interface NextSettings {
  /** The rules every adapter shares. */
  readonly http: HttpSettings<NextRequest>;
  /** The experiment keys the proxy assigns on a request. */
  readonly keysFor: (request: NextRequest) => readonly string[];
  /** Whether the proxy writes exposures (the `expose` option). */
  readonly expose: boolean;
  /** The sink's writes not settled yet, for `event.waitUntil`. */
  readonly pendingWrites: () => Promise<unknown>[];
  /** Signs and opens the forwarded assignments; without a secret, the error every request reports. */
  readonly signature: ForwardedSignature | OptionError;
}

const nextOverrideSource: QaOverrideSource<NextRequest> = {
  header: (request, name) => request.headers.get(name),
  search: (request) => request.nextUrl.search,
};

/** Where a Next app looks up a user or attributes that take an `await`: for a `user` or `attributes` that returns a promise. */
const awaitInProxy = (option: 'user' | 'attributes'): string =>
  `Await the lookup in your proxy and pass the ${option}: bucketry.proxy(request, event, { ${option} })`;

const nothingPending = (): Promise<unknown>[] => [];

/**
 * Checks the options (a bad one throws an `OptionError` starting with `@bucketry/next:`) and
 * builds the client, with the sink's writes tracked for `event.waitUntil`.
 */
export function resolveNextOptions<E extends Experiment>(options: NextExperimentsOptions<E, boolean>): { readonly settings: NextSettings; readonly client: Bucketry<E> } {
  return withPackageName(PACKAGE_NAME, () => {
    if (options === null || typeof options !== 'object') invalidOption('options', options, 'must be an object');
    let httpOptions: HttpExperimentOptions<NextRequest, E> = options;
    let pendingWrites = nothingPending;
    const sink = options.sink as unknown;
    if (sink !== null && typeof sink === 'object' && typeof (sink as { write?: unknown }).write === 'function') {
      const tracked = trackPendingWrites(options.sink!);
      httpOptions = { ...httpOptions, sink: tracked.sink };
      pendingWrites = tracked.pending;
    }
    const { settings: http, client } = resolveHttpSettings(PACKAGE_NAME, httpOptions, nextOverrideSource, awaitInProxy);
    const expose = options.expose ?? true;
    if (typeof expose !== 'boolean') invalidOption('expose', expose, 'must be true or false');
    const keysFor = routeKeys(options.routes, new Set(http.byKey.keys()), http.report);
    return { settings: { http, keysFor, expose, pendingWrites, signature: resolveSignature(options.secret) }, client };
  });
}
