// Exposures and outcome events as Segment track calls, one JSON object per line: the export the
// analysis package reads.
import { newEventId } from '@bucketry/core';
import { isAnonymousId } from '@bucketry/express';

/**
 * Segment's identity fields for a unit: `anonymousId` for the ids the middleware issues,
 * `userId` for everyone else. (The exposure event carries only the unit's key, so an id is
 * told apart by its form: the issued ids are version-4 UUIDs.)
 */
export function identityOf(unit) {
  return isAnonymousId(unit) ? { anonymousId: unit } : { userId: unit };
}

/**
 * The Segment track call for a core exposure event. Its messageId is the exposure's `eventId`,
 * made once by core: a re-sent batch is recognisably a duplicate, and no two exposures share one.
 */
export function exposureToSegment(event) {
  return {
    type: 'track',
    event: event.event,
    ...identityOf(event.unit),
    properties: {
      experiment: event.experiment,
      variant: event.variant,
      reason: event.reason,
      bucket: event.bucket,
      configVersion: event.configVersion,
      ...(event.interleaving && { interleaving: event.interleaving }),
    },
    timestamp: event.timestamp,
    messageId: event.eventId,
  };
}

/** A Segment track call for an outcome, e.g. `session_started_from_tree`, of a user or visitor. */
export function outcomeToSegment(name, unit, properties, now = Date.now()) {
  return {
    type: 'track',
    event: name,
    ...(unit.kind === 'user' ? { userId: unit.id } : { anonymousId: unit.id }),
    properties,
    timestamp: new Date(now).toISOString(),
    messageId: newEventId(),
  };
}
