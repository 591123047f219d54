import { OpenFeatureEventEmitter, type EvaluationContext, type JsonValue, type Provider, type ResolutionDetails } from '@openfeature/web-sdk';
import { BucketryProviderBase } from './provider-core.js';

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
export class BucketryWebProvider extends BucketryProviderBase implements Provider {
  readonly runsOn = 'client';
  readonly events = new OpenFeatureEventEmitter();

  /**
   * Nothing to fetch: assignments are computed from the context at each evaluation, so the new
   * context's variants are there as soon as the SDK announces it.
   */
  onContextChange(): void {}

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): ResolutionDetails<boolean> {
    return this.resolve(flagKey, 'boolean', defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): ResolutionDetails<string> {
    return this.resolve(flagKey, 'string', defaultValue, context);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): ResolutionDetails<number> {
    return this.resolve(flagKey, 'number', defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    return this.resolve(flagKey, 'object', defaultValue, context);
  }
}
