import { ErrorCode, StandardResolutionReasons, type EvaluationContext, type FlagValueType, type ResolutionDetails, type TrackingEventDetails } from '@openfeature/core';
import type { Bucketry } from '@bucketry/core';
import { checkOptions } from './check-options.js';
import { createExposures } from './exposures.js';
import { createLifecycle, type LifecycleEvent } from './lifecycle.js';
import type { BucketryProviderOptions, ProviderErrorContext } from './options.js';
import { resolveFlag, targetingKeyUnit } from './resolve.js';
import { trackEventFor } from './track.js';

const warn = (error: unknown, context: ProviderErrorContext): void => console.warn('bucketry openfeature', context.source, error);

/**
 * Everything the server and web providers share: resolution, exposure, tracking, lifecycle.
 * The two classes only add their SDK's event emitter and the synchronous or asynchronous face.
 * @internal
 */
export function createProviderCore(client: Bucketry, given: BucketryProviderOptions, emit: (event: LifecycleEvent) => void) {
  const options = checkOptions(client, given);
  const onError = options.onError ?? warn;
  const report = (error: unknown, context: ProviderErrorContext): void => {
    try {
      onError(error, context);
    } catch {
      // A handler that throws must not turn a reported failure into a crash.
    }
  };
  const unitOf = options.unit ?? targetingKeyUnit;
  const lifecycle = createLifecycle(client, options, emit, report);
  const exposures = createExposures(client, unitOf);

  return {
    hooks: [exposures.hook],
    resolve<T>(flagKey: string, type: FlagValueType, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
      lifecycle.check();
      if (!lifecycle.isReady()) {
        return {
          value: defaultValue,
          reason: StandardResolutionReasons.ERROR,
          errorCode: ErrorCode.PROVIDER_NOT_READY,
          errorMessage: 'the Bucketry provider has no configuration yet (initialize has not finished, or no set came)',
        };
      }
      return resolveFlag(client, unitOf, flagKey, type, defaultValue, context, (assignment) => exposures.remember(context, flagKey, assignment));
    },
    track(name: string, context: EvaluationContext, details: TrackingEventDetails | undefined): void {
      try {
        if (!options.onTrack) throw new Error(`track: event ${JSON.stringify(name)} was dropped: the provider has no onTrack writer`);
        options.onTrack(trackEventFor(unitOf, name, context, details, new Date()));
      } catch (error) {
        report(error, { source: 'track', event: name });
      }
    },
    initialize: lifecycle.initialize,
    close: async (): Promise<void> => {
      lifecycle.close();
      await client.flush();
    },
  };
}
