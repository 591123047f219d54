// Exposures and outcome events as Segment track calls, one JSON object per line: the export the
// analysis package reads.
import { createHash, randomUUID } from 'node:crypto';
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
 * The Segment track call for a core exposure event. Its messageId is derived from the exposure,
 * so the same exposure always gets the same id and a re-sent batch is recognisably a duplicate.
 */
export function exposureToSegment(event) {
  const messageId = createHash('sha256')
    // An interleaved list's own: two lists shown in the same millisecond are two exposures.
    .update(JSON.stringify([event.experiment, event.unit, event.variant, event.configVersion, event.timestamp, ...(event.interleaving ? [event.interleaving] : [])]))
    .digest('hex')
    .slice(0, 32);
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
    messageId,
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
    messageId: randomUUID(),
  };
}
