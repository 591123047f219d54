import type { EvaluationContext } from '@openfeature/core';
import type { Unit } from '@bucketry/core';

/**
 * A metric event as `bucketry analyze` reads it (Segment's `track` shape): written by the
 * provider's `track()` for every OpenFeature tracking call, so those calls feed the analysis
 * (`--metric <event>`, `--value <event>.value`).
 *
 * @example
 * ```ts
 * const event: TrackEvent = {
 *   type: 'track', event: 'purchase', userId: 'user-42', timestamp: '2026-12-08T10:00:00.000Z',
 *   messageId: '0b7e…', properties: { value: 12.5, currency: 'EUR' },
 * };
 * ```
 */
export interface TrackEvent {
  readonly type: 'track';
  /** The tracking event's name, as `--metric` names it. */
  readonly event: string;
  /** The unit's canonical key, as on the exposures (see `unitKey` of `@bucketry/core`). */
  readonly userId: string;
  /** When `track()` was called, ISO 8601 in UTC. */
  readonly timestamp: string;
  /** A new UUID per call: `bucketry analyze` counts a redelivered line once. */
  readonly messageId: string;
  /** OpenFeature's tracking details: `value` and any other fields. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * Where a provider error came from: `track` (a tracking call without a unit or without a writer,
 * or a writer that threw), `status` (the client's source went stale). Exposures that could not be
 * written are the client's to report, through its own `onError`.
 *
 * @example
 * ```ts
 * new BucketryProvider(bucketry, { onError: (error, context: ProviderErrorContext) => log.warn({ error, ...context }) });
 * ```
 */
export interface ProviderErrorContext {
  readonly source: 'track' | 'status';
  /** The tracking event's name, for `track`. */
  readonly event?: string;
}

/**
 * Options of the providers ({@link BucketryProvider}, and `BucketryWebProvider` from
 * `@bucketry/openfeature/web`).
 *
 * @example
 * ```ts
 * const source = createStoreSource(bucketry, createPostgresStore({ connectionString }), { base });
 * const provider = new BucketryProvider(bucketry, {
 *   ready: () => source.start(),
 *   readyTimeout: 5_000,
 *   unit: (context) => ({ tenantId: String(context.tenantId), userId: String(context.targetingKey) }),
 *   onTrack: (event) => events.write(`${JSON.stringify(event)}\n`),
 * });
 * ```
 */
export interface BucketryProviderOptions {
  /**
   * The unit for a context. Default: `context.targetingKey`. Give one for a compound unit, such
   * as `{ tenantId, userId }`; a missing unit is `TARGETING_KEY_MISSING`.
   */
  readonly unit?: (context: EvaluationContext) => Unit | null | undefined;
  /**
   * What `initialize` waits for: the client's source loading its first set, e.g.
   * `() => source.start()`. Without it the client's experiments from code are the first set.
   */
  readonly ready?: PromiseLike<unknown> | (() => PromiseLike<unknown>);
  /** How long `initialize` waits for `ready`, in ms. Default 10,000. */
  readonly readyTimeout?: number;
  /** How often the client's status is looked at for a stale source while no flag is evaluated, in ms. Default 1,000. */
  readonly statusInterval?: number;
  /** Where `track()` writes its metric events. Without one, tracking calls are dropped and reported to `onError`. */
  readonly onTrack?: (event: TrackEvent) => void;
  /** Told about tracking calls that were dropped, and a source gone stale. Never rethrown. Default: `console.warn`. */
  readonly onError?: (error: unknown, context: ProviderErrorContext) => void;
}
