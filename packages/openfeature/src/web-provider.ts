import {
  OpenFeatureEventEmitter,
  ProviderEvents,
  type EvaluationContext,
  type Hook,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/web-sdk';
import type { Bucketry } from '@bucketry/core';
import type { LifecycleEvent } from './lifecycle.js';
import type { BucketryProviderOptions } from './options.js';
import { createProviderCore } from './provider-core.js';

/**
 * The OpenFeature web provider (`@openfeature/web-sdk`) over a Bucketry client, with the mapping
 * of the server provider. Bucketry assigns synchronously, so every flag resolves at once from
 * the current context: no loading state, no flash; a new context (`OpenFeature.setContext`)
 * decides again on the next evaluation.
 *
 * @example
 * ```ts
 * import { OpenFeature } from '@openfeature/web-sdk';
 * import { createBucketry } from '@bucketry/core';
 * import { BucketryWebProvider } from '@bucketry/openfeature/web';
 *
 * const bucketry = createBucketry({ experiments: [{ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 10 }] });
 * await OpenFeature.setProviderAndWait(new BucketryWebProvider(bucketry), { targetingKey: 'user-42' });
 * const layout = OpenFeature.getClient().getStringValue('skill_tree_layout', 'tree');
 * ```
 */
export class BucketryWebProvider implements Provider {
  readonly metadata = { name: 'bucketry' } as const;
  readonly runsOn = 'client';
  readonly events = new OpenFeatureEventEmitter();
  readonly hooks: Hook[];
  readonly #core: ReturnType<typeof createProviderCore>;

  /**
   * @param client - from `createBucketry`
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

  /**
   * Nothing to fetch: assignments are computed from the context at each evaluation, so the new
   * context's variants are there as soon as the SDK announces it.
   */
  onContextChange(): void {}

  /** Stops watching the client and delivers the exposures its sink still queues. */
  onClose(): Promise<void> {
    return this.#core.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): ResolutionDetails<boolean> {
    return this.#core.resolve(flagKey, 'boolean', defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): ResolutionDetails<string> {
    return this.#core.resolve(flagKey, 'string', defaultValue, context);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): ResolutionDetails<number> {
    return this.#core.resolve(flagKey, 'number', defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    return this.#core.resolve(flagKey, 'object', defaultValue, context);
  }

  /** Writes a metric event (see `TrackEvent`) through the `onTrack` option. */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    this.#core.track(trackingEventName, context, trackingEventDetails);
  }
}
