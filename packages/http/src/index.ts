export { OptionError, invalidOption, withPackageName } from './option-error.js';
export { isHttpToken, checkHttpToken } from './http-token.js';
export { headerText } from './header-text.js';
export { staffTokenMatches, sameBytes } from './token-match.js';
export { hmacSha256 } from './sha256.js';
export {
  MAX_COOKIE_AGE_SECONDS,
  resolveCookieAttributes,
  serializeCookie,
  readCookie,
  hasCookieValue,
  checkCookieName,
  type CookieAttributeOptions,
  type CookieAttributes,
} from './cookies.js';
export {
  DEFAULT_ANONYMOUS_ID_COOKIE,
  isAnonymousId,
  newAnonymousId,
  resolveUnitCookie,
  type AnonymousIdOptions,
  type UnitCookie,
} from './anonymous-id.js';
export { createQaOverrideReader, type QaOverrideOptions, type QaOverrideSource, type QaOverrideReader } from './qa-override.js';
export { reporter, logToConsole, type HttpErrorContext, type HttpErrorHandler } from './error-context.js';
export {
  resolveHttpSettings,
  checkHttpSafe,
  checkFunction,
  type VariantCookieOptions,
  type HttpExperimentOptions,
  type HttpSettings,
} from './settings.js';
export { experimentHeaderName, experimentCookieName } from './experiment-names.js';
export type { HttpExchange } from './http-exchange.js';
export type { RequestFacts, RequestUnit } from './request-facts.js';
export { RequestAssignments } from './request-assignments.js';
export type { PreloadingStickyStore } from './sticky-preload.js';
export { createFetchSink, type FetchSinkOptions } from './fetch-sink.js';
export type { ExperimentKey, VariantOf } from '@bucketry/core';
