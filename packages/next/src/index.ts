export { createNextExperiments, type NextExperiments } from './next-experiments.js';
export type { NextExperimentsOptions } from './next-options.js';
export type { ProxyAssignments } from './proxy.js';
export type { ServerExperiments, HeadersLike } from './server-experiments.js';
export type { WaitUntil } from './keep-alive.js';
export { type ExperimentRoutes } from './routes.js';
export { ASSIGNMENTS_HEADER } from './forwarded.js';
// The HTTP rules and the fetch sink are shared with @bucketry/express (documented in @bucketry/http).
export {
  createFetchSink,
  DEFAULT_ANONYMOUS_ID_COOKIE,
  headerText,
  isAnonymousId,
  staffTokenMatches,
  type FetchSinkOptions,
  type AnonymousIdOptions,
  type CookieAttributeOptions,
  type VariantCookieOptions,
  type QaOverrideOptions,
  type HttpErrorContext,
  type HttpErrorHandler,
  type RequestFacts,
  type RequestUnit,
  type PreloadingStickyStore,
  type ExperimentKey,
  type VariantOf,
} from '@bucketry/http';
