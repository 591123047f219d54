import { OpenFeatureEventEmitter, type EvaluationContext, type JsonValue, type Provider, type ResolutionDetails } from '@openfeature/server-sdk';
import { BucketryProviderBase } from './provider-core.js';

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
export class BucketryProvider extends BucketryProviderBase implements Provider {
  readonly runsOn = 'server';
  readonly events = new OpenFeatureEventEmitter();

  async resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, 'boolean', defaultValue, context);
  }

  async resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, 'string', defaultValue, context);
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, 'number', defaultValue, context);
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, 'object', defaultValue, context);
  }
}
