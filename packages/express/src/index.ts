export {
  createExperimentMiddleware,
  type ExperimentMiddleware,
  type ExperimentMiddlewareOptions,
  type ExperimentLocals,
  type ExperimentRequestHandler,
  type VariantCookieOptions,
} from './middleware.js';
export type { RequestExperiments, RequestUnit, ExperimentKey, VariantOf } from './request-experiments.js';
export type { ExpressErrorContext, ExpressErrorHandler } from './error-context.js';
export type { CookieAttributeOptions } from './cookies.js';
export { DEFAULT_ANONYMOUS_ID_COOKIE, isAnonymousId, type AnonymousIdOptions } from './unit-cookie.js';
export type { QaOverrideOptions } from './qa-override.js';
export { createRecentExposuresBuffer, MAX_RECENT_CAPACITY, type RecentExposuresBuffer } from './recent-exposures-buffer.js';
export { recordingSink } from './recording-sink.js';
export { rolloutStatus, rolloutStatusRoute, type RolloutStatus } from './routes/rollout-status.js';
export { recentExposuresRoute, MIN_TOKEN_LENGTH, type RecentExposuresRouteOptions } from './routes/recent-exposures.js';
export { healthRoute, type HealthRouteOptions } from './routes/health.js';
