export {
  createExperimentMiddleware,
  type ExperimentMiddleware,
  type ExperimentMiddlewareOptions,
  type ExperimentLocals,
  type ExperimentRequestHandler,
  type QaOverrideOptions,
} from './middleware.js';
export type { RequestExperiments } from './request-experiments.js';
export type { ExpressErrorContext, ExpressErrorHandler } from './error-context.js';
// The HTTP rules shared with @bucketry/next live in @bucketry/http (documented there).
export {
  DEFAULT_ANONYMOUS_ID_COOKIE,
  headerText,
  isAnonymousId,
  staffTokenMatches,
  type AnonymousIdOptions,
  type CookieAttributeOptions,
  type ExperimentKey,
  type PreloadingStickyStore,
  type RequestUnit,
  type VariantCookieOptions,
  type VariantOf,
} from '@bucketry/http';
export { createRecentExposuresBuffer, MAX_RECENT_CAPACITY, type RecentExposuresBuffer } from './recent-exposures-buffer.js';
export { recordingSink } from './recording-sink.js';
export { rolloutStatus, rolloutStatusRoute, type RolloutStatus } from './routes/rollout-status.js';
export { recentExposuresRoute, MIN_TOKEN_LENGTH, type RecentExposuresRouteOptions } from './routes/recent-exposures.js';
export { healthRoute, type HealthRouteOptions } from './routes/health.js';
