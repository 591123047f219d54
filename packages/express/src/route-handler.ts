import type { HttpSettings } from '@bucketry/http';
import type { Request } from 'express';
import type { ExpressHandler, ExpressNext, ExpressRequest, ExpressResponse } from './express-types.js';
import { ExpressRequestExperiments } from './request-experiments.js';

/**
 * The handler of one route's middleware: puts the request's experiments on `res.locals` (adding
 * this route's keys when an earlier middleware of the same factory did), then calls `next()`: at
 * once without a sticky store, once the unit's records are loaded with one.
 */
export function routeHandler(
  settings: HttpSettings<Request>,
  routeKeys: readonly string[],
  localsKey: string,
  requestKey: string | undefined,
): ExpressHandler {
  const report = settings.report;
  // The request's experiments on res.locals; returns them when this call made them (the first middleware of the request).
  const attach = (req: ExpressRequest, res: ExpressResponse): ExpressRequestExperiments | undefined => {
    try {
      const locals = res.locals as Record<string, unknown>;
      const existing = locals[localsKey];
      if (ExpressRequestExperiments.belongsTo(existing, settings)) {
        ExpressRequestExperiments.addKeys(existing, routeKeys);
        return undefined;
      }
      const experiments = new ExpressRequestExperiments(settings, req, res, routeKeys);
      locals[localsKey] = experiments;
      if (requestKey !== undefined) {
        const current = (req as unknown as Record<string, unknown>)[requestKey];
        if (current === undefined) (req as unknown as Record<string, unknown>)[requestKey] = experiments;
        else if (!ExpressRequestExperiments.belongsTo(current, settings)) {
          report(new Error(`req.${requestKey} is already taken; the experiments are on res.locals.${localsKey} only`), { source: 'middleware' });
        }
      }
      return experiments;
    } catch (error) {
      report(error, { source: 'middleware' });
      return undefined;
    }
  };
  // Without a sticky store the request goes on at once, as it always did: nothing to await.
  if (settings.sticky === undefined) {
    return function bucketryExperiments(req: ExpressRequest, res: ExpressResponse, next: ExpressNext): void {
      attach(req, res);
      next();
    };
  }
  // With one, the unit's records are loaded first: one round trip, awaited (it never rejects; a store that fails is reported).
  const failed = (error: unknown): void => report(error, { source: 'middleware' });
  return function bucketryExperiments(req: ExpressRequest, res: ExpressResponse, next: ExpressNext): void {
    let loading: Promise<void> | undefined;
    try {
      loading = attach(req, res)?.loadSticky();
    } catch (error) {
      failed(error);
    }
    if (loading === undefined) next();
    else void loading.then(() => next()).catch(failed);
  };
}
