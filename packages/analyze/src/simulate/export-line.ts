import type { Random } from '@bucketry/stats';

/** Who an event is from: a signed-in user id, an anonymous (device) id, or both. */
export interface SimulatedUnit {
  readonly userId?: string | undefined;
  readonly anonymousId?: string | undefined;
}

/** Amplitude's event_time: `yyyy-mm-dd hh:mm:ss.ffffff`, UTC. */
function amplitudeTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/**
 * One export line as Segment (`track`) or Amplitude writes it, with a random v4-style event id
 * (messageId / insert_id) drawn from `random`: the line shape both simulators write.
 */
export function exportLine(random: Random, format: 'segment' | 'amplitude', name: string, unit: SimulatedUnit, time: number, properties: Record<string, unknown>): string {
  const id = random.hex(8) + '-' + random.hex(4) + '-4' + random.hex(3) + '-a' + random.hex(3) + '-' + random.hex(12);
  if (format === 'amplitude') {
    return JSON.stringify({ event_type: name, user_id: unit.userId ?? null, device_id: unit.anonymousId, event_time: amplitudeTime(time), event_properties: properties, insert_id: id });
  }
  const who = unit.userId !== undefined ? { userId: unit.userId } : { anonymousId: unit.anonymousId };
  return JSON.stringify({ type: 'track', event: name, ...who, properties, timestamp: new Date(time).toISOString(), messageId: id });
}
