import {
  ClientProviderEvents as AllProviderEvents,
  ErrorCode,
  StandardResolutionReasons,
  type AnyProviderEvent,
  type BaseHook,
  type EvaluationContext,
  type FlagValue,
  type FlagValueType,
  type GenericEventEmitter,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/core';
import type { Bucketry } from '@bucketry/core';
import { checkOptions } from './check-options.js';
import { createExposures } from './exposures.js';
import { createLifecycle, type LifecycleEvent } from './lifecycle.js';
import type { BucketryProviderOptions, ProviderErrorContext } from './options.js';
import { resolveFlag, targetingKeyUnit, type UnitOf } from './resolve.js';
import { trackEventFor } from './track.js';

const warn = (error: unknown, context: ProviderErrorContext): void => console.warn('bucketry openfeature', context.source, error);

/**
 * Everything the server and web providers share: resolution, exposure, tracking, lifecycle. Each
 * SDK's class adds what only it has: its own event emitter (the server SDK's needs `node:events`,
 * so the web entry must not load it), `runsOn`, and the resolvers' asynchronous or synchronous face.
 */
export abstract class BucketryProviderBase {
  readonly metadata = { name: 'bucketry' } as const;
  /** The SDK's `OpenFeatureEventEmitter`, set by each provider class; used only once `initialize` runs. */
  abstract readonly events: GenericEventEmitter<AnyProviderEvent>;
  /** The exposure hook (a synchronous hook fits both SDKs' `Hook`). */
  readonly hooks: BaseHook<FlagValue, Record<string, unknown>, void, void>[];
  readonly #client: Bucketry;
  readonly #onTrack: BucketryProviderOptions['onTrack'];
  readonly #onError: NonNullable<BucketryProviderOptions['onError']>;
  readonly #unitOf: UnitOf;
  readonly #lifecycle: ReturnType<typeof createLifecycle>;
  readonly #exposures: ReturnType<typeof createExposures>;

  /**
   * @param client - from `createBucketry`, kept current by a live source if you use one
   * @param options - a compound unit, what `initialize` waits for, the `track()` writer
   */
  constructor(client: Bucketry, options: BucketryProviderOptions = {}) {
    const checked = checkOptions(client, options);
    this.#client = client;
    this.#onTrack = checked.onTrack;
    this.#onError = checked.onError ?? warn;
    this.#unitOf = checked.unit ?? targetingKeyUnit;
    this.#lifecycle = createLifecycle(client, checked, (event) => this.#emit(event), (error, context) => this.#report(error, context));
    this.#exposures = createExposures(client, this.#unitOf);
    this.hooks = [this.#exposures.hook];
  }

  #report(error: unknown, context: ProviderErrorContext): void {
    try {
      this.#onError(error, context);
    } catch {
      // A handler that throws must not turn a reported failure into a crash.
    }
  }

  // The two SDKs' ProviderEvents enums hold the same strings (`PROVIDER_READY`, ...).
  #emit(event: LifecycleEvent): void {
    if (event.kind === 'ready') this.events.emit(AllProviderEvents.Ready);
    else if (event.kind === 'stale') this.events.emit(AllProviderEvents.Stale, { message: event.message });
    else this.events.emit(AllProviderEvents.ConfigurationChanged, { flagsChanged: event.flagsChanged });
  }

  /** Waits for the first good set (option `ready`, up to `readyTimeout`); rejects, saying why, when none comes. */
  initialize(): Promise<void> {
    return this.#lifecycle.initialize();
  }

  /** Stops watching the client and delivers the exposures its sink still queues. */
  async onClose(): Promise<void> {
    this.#lifecycle.close();
    await this.#client.flush();
  }

  /** Writes a metric event (see {@link TrackEvent}) through the `onTrack` option. */
  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails): void {
    try {
      if (!this.#onTrack) throw new Error(`track: event ${JSON.stringify(trackingEventName)} was dropped: the provider has no onTrack writer`);
      this.#onTrack(trackEventFor(this.#unitOf, trackingEventName, context, trackingEventDetails, new Date()));
    } catch (error) {
      this.#report(error, { source: 'track', event: trackingEventName });
    }
  }

  /** One evaluation for the resolvers of either SDK. @internal */
  protected resolve<T>(flagKey: string, type: FlagValueType, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    this.#lifecycle.check();
    if (!this.#lifecycle.isReady()) {
      return {
        value: defaultValue,
        reason: StandardResolutionReasons.ERROR,
        errorCode: ErrorCode.PROVIDER_NOT_READY,
        errorMessage: 'the Bucketry provider has no configuration yet (initialize has not finished, or no set came)',
      };
    }
    return resolveFlag(this.#client, this.#unitOf, flagKey, type, defaultValue, context, (assignment) => this.#exposures.remember(context, flagKey, assignment));
  }
}
