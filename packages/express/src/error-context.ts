import type { BucketryErrorContext, ExposureEvent } from '@bucketry/core';

/**
 * Where an error reported to the middleware's `onError` came from.
 * - `sink`, `assignment`, `sticky`: from core (the sink failed, an eligibility predicate threw, a sticky store failed)
 * - `unit`: the `user` function threw
 * - `attributes`: the `attributes` function threw
 * - `response`: a header or cookie could not be written (e.g. the response had already started)
 * - `middleware`: anything else inside the middleware
 *
 * Whatever the source, the request goes on: the variant falls back to control.
 *
 * @example
 * ```ts
 * const onError = (error: unknown, context: ExpressErrorContext) =>
 *   logger.warn({ err: error, source: context.source, experiment: context.experiment }, 'bucketry');
 * ```
 */
export interface ExpressErrorContext {
  readonly source: BucketryErrorContext['source'] | 'unit' | 'attributes' | 'response' | 'middleware';
  readonly experiment?: string;
  readonly event?: ExposureEvent;
}

/**
 * The `onError` callback of the middleware.
 *
 * @example
 * ```ts
 * const onError: ExpressErrorHandler = (error, { source, experiment }) => metrics.increment('bucketry.error', { source, experiment });
 * ```
 */
export type ExpressErrorHandler = (error: unknown, context: ExpressErrorContext) => void;

/** Calls `onError`; a handler that throws is ignored, so a report can never fail a request. */
export function reporter(onError: ExpressErrorHandler): ExpressErrorHandler {
  return (error, context) => {
    try {
      onError(error, context);
    } catch {
      // Nothing sensible is left to do; the request must go on.
    }
  };
}

/** The default `onError`: one line on stderr per error. */
export const logToConsole: ExpressErrorHandler = (error, context) => {
  console.error(`@bucketry/express: ${context.source} error${context.experiment ? ` (${context.experiment})` : ''}:`, error);
};
