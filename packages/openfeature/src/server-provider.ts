import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type Hook,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import type { Bucketry } from '@bucketry/core';
import type { LifecycleEvent } from './lifecycle.js';
import type { BucketryProviderOptions } from './options.js';
import { createProviderCore } from './provider-core.js';

/**
 * The OpenFeature server provider (`@openfeature/server-sdk`) over a Bucketry client: each flag
 * is the experiment with its key, `targetingKey` the unit, the other context fields the
 * eligibility attributes; the value is the variant's value (its name when the experiment has no
 * values); `reason` SPLIT, TARGETING_MATCH, DISABLED or DEFAULT; `flagMetadata` the experiment,
 * bucket and config version. Exposures go through the client once the SDK returns the variant;
 * `track()` writes metric events for `bucketry analyze` (option `onTrack`). Failures give the
 * caller's default with an error code, never a throw.
 *
 * @example
 * ```ts
 * import { OpenFeature } from '@openfeature/server-sdk';
 * import { createBucketry } from '@bucketry/core';
 * import { BucketryProvider } from '@bucketry/openfeature';
 *
 * const bucketry = createBucketry({ experiments: [{ key: 'new_checkout', variants: ['off', 'on'], rollout: 25, values: { off: false, on: true } }] });
 * await OpenFeature.setProviderAndWait(new BucketryProvider(bucketry));
 * const enabled = await OpenFeature.getClient().getBooleanValue('new_checkout', false, { targetingKey: 'user-42' });
 * ```
 */
export class BucketryProvider implements Provider {
  readonly metadata = { name: 'bucketry' } as const;
  readonly runsOn = 'server';
  readonly events = new OpenFeatureEventEmitter();
  readonly hooks: Hook[];
  readonly #core: ReturnType<typeof createProviderCore>;

  /**
   * @param client - from `createBucketry`, kept current by a live source if you use one
   * @param options - a compound unit, what `initialize` waits for, the `track()` writer
   */
  constructor(client: Bucketry, options: BucketryProviderOptions = {}) {
    this.#core = createProviderCore(client, options, (event) => this.#emit(event));
    this.hooks = this.#core.hooks;
  }

  #emit(event: LifecycleEvent): void {
    if (event.kind === 'ready') this.events.emit(ProviderEvents.Ready);
    else if (event.kind === 'stale') this.events.emit(ProviderEvents.Stale, { message: event.message });
    else this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: event.flagsChanged });
  }

  /** Waits for the first good set (option `ready`, up to `readyTimeout`); rejects, saying why, when none comes. */
  initialize(): Promise<void> {
    return this.#core.initialize();
  }

  /** Stops watching the client and delivers the exposures its sink still queues. */
  onClose(): Promise<void> {
    return this.#core.close();
  }

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.#core.resolve(flagKey, 'boolean', defaultValue, context);
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.#core.resolve(flagKey, 'string', defaultValue, context);
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.#core.resolve(flagKey, 'number', defaultValue, context);
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.#core.resolve(flagKey, 'object', defaultValue, context);
  }

  /** Writes a metric event (see {@link TrackEvent}) through the `onTrack` option. */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.#core.track(trackingEventName, context, trackingEventDetails);
  }
}
