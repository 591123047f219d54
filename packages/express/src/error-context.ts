import type { HttpErrorContext, HttpErrorHandler } from '@bucketry/http';

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
export type ExpressErrorContext = HttpErrorContext;

/**
 * The `onError` callback of the middleware.
 *
 * @example
 * ```ts
 * const onError: ExpressErrorHandler = (error, { source, experiment }) => metrics.increment('bucketry.error', { source, experiment });
 * ```
 */
export type ExpressErrorHandler = HttpErrorHandler;
