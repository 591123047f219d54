import type { EvaluationContext, TrackingEventDetails } from '@openfeature/core';
import { newEventId, unitKey } from '@bucketry/core';
import type { TrackEvent } from './options.js';
import type { UnitOf } from './resolve.js';

/**
 * The metric event for an OpenFeature `track()` call, in the Segment shape `bucketry analyze`
 * reads; throws, naming the field, when the context has no unit (the provider reports it).
 * @internal
 */
export function trackEventFor(unitOf: UnitOf, name: string, context: EvaluationContext, details: TrackingEventDetails | undefined, now: Date): TrackEvent {
  if (typeof name !== 'string' || name === '') throw new TypeError(`track: trackingEventName must be a non-empty string, got ${JSON.stringify(name)}`);
  const userId = unitKey(unitOf(context));
  if (userId === undefined) {
    throw new TypeError(`track: event ${JSON.stringify(name)} needs a unit: the context's targetingKey (or the unit option) gave none, so it was dropped`);
  }
  return { type: 'track', event: name, userId, timestamp: now.toISOString(), messageId: newEventId(), properties: { ...details } };
}
