import type { BucketryErrorContext, ExposureEvent } from '@bucketry/core';

/**
 * Where an error reported to an adapter's `onError` came from.
 * - `sink`, `assignment`, `sticky`: from core (the sink failed, an eligibility predicate threw, a sticky store failed)
 * - `unit`: the `user` function threw or returned something that is not a unit
 * - `attributes`: the `attributes` function threw
 * - `response`: a header or cookie could not be written (e.g. the response had already started)
 * - `forwarded`: a Server Component or route handler found no usable assignment from the proxy (Next.js)
 * - `middleware`: anything else inside the middleware or proxy
 *
 * Whatever the source, the request goes on: the variant falls back to control.
 *
 * @example
 * ```ts
 * const onError = (error: unknown, context: HttpErrorContext) =>
 *   logger.warn({ err: error, source: context.source, experiment: context.experiment }, 'bucketry');
 * ```
 */
export interface HttpErrorContext {
  readonly source: BucketryErrorContext['source'] | 'unit' | 'attributes' | 'response' | 'forwarded' | 'middleware';
  readonly experiment?: string;
  readonly event?: ExposureEvent;
}

/**
 * An adapter's `onError` callback.
 *
 * @example
 * ```ts
 * const onError: HttpErrorHandler = (error, { source, experiment }) => metrics.increment('bucketry.error', { source, experiment });
 * ```
 */
export type HttpErrorHandler = (error: unknown, context: HttpErrorContext) => void;

/**
 * Wraps `onError` so that a handler that throws is ignored: a report can never fail a request.
 *
 * @example
 * ```ts
 * const report = reporter(options.onError ?? logToConsole('@bucketry/next'));
 * report(new Error('sink down'), { source: 'sink' });
 * ```
 */
export function reporter(onError: HttpErrorHandler): HttpErrorHandler {
  return (error, context) => {
    try {
      onError(error, context);
    } catch {
      // Nothing sensible is left to do; the request must go on.
    }
  };
}

/**
 * The default `onError`: one line on stderr per error, starting with the package's name.
 *
 * @example
 * ```ts
 * const onError = logToConsole('@bucketry/express');
 * onError(new Error('boom'), { source: 'unit' }); // "@bucketry/express: unit error: Error: boom"
 * ```
 */
export const logToConsole =
  (packageName: string): HttpErrorHandler =>
  (error, context) => {
    console.error(`${packageName}: ${context.source} error${context.experiment ? ` (${context.experiment})` : ''}:`, error);
  };
