import type { Bucketry, Experiment } from '@bucketry/core';
import {
  resolveHttpSettings,
  withPackageName,
  type ExperimentKey,
  type HttpExperimentOptions,
  type QaOverrideOptions as HttpQaOverrideOptions,
  type QaOverrideSource,
} from '@bucketry/http';
import type { Request } from 'express';
import { queryString, type ExpressHandler } from './express-types.js';
import { invalidOption, PACKAGE_NAME } from './package-name.js';
import { ExpressRequestExperiments, type RequestExperiments } from './request-experiments.js';
import { routeHandler } from './route-handler.js';

/**
 * QA overrides: force a variant for one request with a query parameter or a header, e.g.
 * `?bucketry_override=skill_tree_layout:list` or `X-Bucketry-Override: skill_tree_layout:list`
 * (several as `a:x,b:y`). Off unless `enabled` is `true`. Only known experiments and known
 * variants are accepted; anything else is ignored. A kill switch (`enabled: false` or rollout 0)
 * wins over an override. An overridden request (`reason: 'override'`) is never exposed, so QA
 * traffic never reaches the analysis.
 *
 * @example
 * ```ts
 * const qaOverrides: QaOverrideOptions = {
 *   enabled: process.env.NODE_ENV !== 'production',
 *   allow: (req) => staffTokenMatches(req.get('x-staff-token'), process.env.STAFF_TOKEN), // none while unset
 * };
 * ```
 */
export type QaOverrideOptions = HttpQaOverrideOptions<Request>;

/**
 * Options of {@link createExperimentMiddleware}: a client (or experiments plus a sink), how to find
 * the unit, and cookie options.
 *
 * @example
 * ```ts
 * const options: ExperimentMiddlewareOptions = {
 *   experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 }],
 *   sink: createMemorySink(),
 *   user: (req) => headerText(req.get('x-user-id'), 'X-User-Id'), // the header's UTF-8
 * };
 * ```
 */
export interface ExperimentMiddlewareOptions<E extends Experiment = Experiment, L extends string = 'experiments'>
  extends HttpExperimentOptions<Request, E> {
  /** Where the experiments go on `res.locals`. Default `experiments`. */
  readonly localsKey?: L;
  /** Also put them on `req` under this name. Default: not on `req`. */
  readonly requestKey?: string;
}

/**
 * `res.locals` as handlers after the middleware see it.
 *
 * @example
 * ```ts
 * // For a handler declared apart from its route:
 * const handler = (_req: Request, res: Response<unknown, ExperimentLocals<typeof skillTree, 'skill_tree_layout'>>) =>
 *   res.json({ layout: res.locals.experiments.variant('skill_tree_layout') });
 * ```
 */
export type ExperimentLocals<E extends Experiment, K extends string, L extends string = 'experiments'> = {
  readonly [P in L]: RequestExperiments<E, K>;
} & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Express's own default for locals

/**
 * The middleware for one route. Its `res.locals` type carries the experiments it names, so the
 * handlers after it on the same `app.get` see `res.locals.experiments` typed.
 *
 * @example
 * ```ts
 * const skillTreeOnly: ExperimentRequestHandler<typeof skillTree, 'skill_tree_layout'> = experiments('skill_tree_layout');
 * app.get('/api/v1/skills/tree', skillTreeOnly, (_req, res) => res.json({ layout: res.locals.experiments.variant('skill_tree_layout') }));
 * ```
 */
export type ExperimentRequestHandler<E extends Experiment, K extends string, L extends string = 'experiments'> = ExpressHandler<
  ExperimentLocals<E, K, L>
>;

/**
 * What {@link createExperimentMiddleware} returns: call it with the experiments a route uses to get
 * that route's middleware.
 *
 * @example
 * ```ts
 * const experiments: ExperimentMiddleware<typeof skillTree> = createExperimentMiddleware({ experiments: [skillTree] });
 * app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), handler);
 * app.get('/api/feature-flags/skill_tree_layout', rolloutStatusRoute(experiments.client.experiment('skill_tree_layout')));
 * await experiments.close(); // on shutdown
 * ```
 */
export interface ExperimentMiddleware<E extends Experiment = Experiment, L extends string = 'experiments'> {
  /**
   * The middleware for a route that reads these experiments. Unknown keys throw here, at start-up.
   * Used twice on one request (`app.use` and a route), the experiments add up.
   */
  <const K extends ExperimentKey<E>>(...keys: K[]): ExperimentRequestHandler<E, K, L>;
  /** The experiments of this request, for handlers whose `res.locals` are not typed. Throws if the middleware did not run. */
  from(res: { readonly locals: object }): RequestExperiments<E, ExperimentKey<E>>;
  /** The client: for the rollout status route, or to assign outside a request. */
  readonly client: Bucketry<E>;
  /**
   * Delivers queued exposures and closes the sink (the client's, when a client was given); with a
   * `sticky` store, also writes the records it queues and closes it.
   */
  close(): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

function checkPropertyName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || FORBIDDEN_NAMES.has(value)) {
    invalidOption(field, value, 'must be a JavaScript identifier (not __proto__, constructor or prototype)');
  }
  return value;
}

/** How the QA-override reader sees an Express request: headers, and the query of the URL before any router stripped its mount path. */
const expressOverrideSource: QaOverrideSource<Request> = {
  header: (req, name) => req.headers[name],
  search: queryString,
};

/** Where an Express app looks up a user or attributes that take an `await`: for a `user` or `attributes` that returns a promise. */
const lookUpInEarlierMiddleware = (option: 'user' | 'attributes'): string =>
  option === 'user'
    ? 'Look the user up in an earlier middleware (for example set req.user) and return it here'
    : 'Look them up in an earlier middleware (for example set res.locals.account) and return them here';

/**
 * Creates the experiment middleware for Express 4 and 5.
 *
 * Per request, for the experiments named for the route, it finds the unit (the signed-in user,
 * else an anonymous id it issues and keeps in its own cookie) and, when a handler reads an
 * experiment, assigns it, sets `X-Experiment-<Name>` and the `exp_<key>` cookie, and writes one
 * exposure per unit and variant to the sink. Experiments nobody reads are not exposed.
 *
 * The variant cookie mirrors the assignment and is never trusted as input: a kill switch
 * (`enabled: false` or rollout 0) gives everyone control and rewrites it, a tampered value is
 * replaced, and clearing it re-evaluates. Nothing the sink does (throw, reject, hang) can fail or
 * slow a request, and a failure while assigning gives control and goes to `onError`, never a 500.
 *
 * With a `sticky` store (`createPostgresStickyStore()` from `@bucketry/live`), the first
 * middleware of a request finds the unit and awaits `sticky.load([unit])` before `next()`: one
 * round trip for every experiment, none for a cached unit or a new visitor. A store that is down
 * leaves plain bucketing for that request. Without one, `next()` is called at once, as always.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createBatchingSink, defineExperiment, rolloutFromPercentEnv } from '@bucketry/core';
 * import { createExperimentMiddleware } from '@bucketry/express';
 *
 * const skillTree = defineExperiment({
 *   key: 'skill_tree_layout',
 *   variants: ['tree', 'list'],
 *   rollout: rolloutFromPercentEnv('SKILL_TREE_LIST_ROLLOUT'),
 * });
 * const experiments = createExperimentMiddleware({
 *   experiments: [skillTree],
 *   sink: createBatchingSink({ deliver: sendToAnalytics }),
 *   user: (req) => req.session?.userId,
 *   onError: (error, context) => logger.warn({ err: error, ...context }, 'bucketry'),
 * });
 *
 * const app = express();
 * app.get('/api/v1/skills/tree', experiments('skill_tree_layout'), (req, res) => {
 *   const layout = res.locals.experiments.variant('skill_tree_layout'); // 'tree' | 'list'
 *   res.json({ layout });
 * });
 * process.on('SIGTERM', () => server.close(() => experiments.close()));
 * ```
 */
export function createExperimentMiddleware<const E extends Experiment = Experiment, const L extends string = 'experiments'>(
  options: ExperimentMiddlewareOptions<E, L>,
): ExperimentMiddleware<E, L> {
  const { settings, client, localsKey, requestKey } = withPackageName(PACKAGE_NAME, () => {
    const { settings, client } = resolveHttpSettings(PACKAGE_NAME, options, expressOverrideSource, lookUpInEarlierMiddleware);
    return {
      settings,
      client,
      localsKey: checkPropertyName('localsKey', options.localsKey ?? 'experiments') as L,
      requestKey: options.requestKey === undefined ? undefined : checkPropertyName('requestKey', options.requestKey),
    };
  });

  const forRoute = (...keys: string[]): ExpressHandler => {
    keys.forEach((key, i) => {
      if (!settings.byKey.has(key)) {
        invalidOption(`keys[${i}]`, key, `must name a known experiment (${[...settings.byKey.keys()].join(', ')})`);
      }
    });
    return routeHandler(settings, Object.freeze([...new Set(keys)]), localsKey, requestKey);
  };

  const middleware = forRoute as unknown as ExperimentMiddleware<E, L>;
  return Object.assign(middleware, {
    from(res: { readonly locals: object }) {
      const found = (res?.locals as Record<string, unknown> | undefined)?.[localsKey];
      if (!ExpressRequestExperiments.belongsTo(found, settings)) {
        throw new TypeError(`${PACKAGE_NAME}: no experiments on res.locals.${localsKey}; add the middleware to this route`);
      }
      return found as unknown as RequestExperiments<E, ExperimentKey<E>>;
    },
    client,
    // Both start at once: a sink that fails to close leaves the sticky store's records to be written all the same.
    close: () => Promise.all([client.close(), settings.sticky?.close?.()]).then(() => undefined),
  });
}
