export {
  createNextExperiments,
  type NextExperiments,
  type NextExperimentsOptions,
  type ProxyAssignments,
  type ServerExperiments,
  type WaitUntil,
  type HeadersLike,
} from './next-experiments.js';
export { type ExperimentRoutes } from './routes.js';
export { ASSIGNMENTS_HEADER } from './forwarded.js';
// The HTTP rules and the fetch sink are shared with @bucketry/express (documented in @bucketry/http).
export {
  createFetchSink,
  DEFAULT_ANONYMOUS_ID_COOKIE,
  isAnonymousId,
  type FetchSinkOptions,
  type AnonymousIdOptions,
  type CookieAttributeOptions,
  type VariantCookieOptions,
  type QaOverrideOptions,
  type HttpErrorContext,
  type HttpErrorHandler,
  type RequestFacts,
  type RequestUnit,
  type ExperimentKey,
  type VariantOf,
} from '@bucketry/http';
