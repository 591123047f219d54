import type { ExportEvent } from '../input/export-event.js';
import { LineRecords, RecordKind } from './line-records.js';

/** An object's own property, or undefined (never one from the prototype: `constructor` is no segment value). */
function own(object: unknown, name: string): unknown {
  return object !== null && typeof object === 'object' && !Array.isArray(object) && Object.hasOwn(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

/**
 * A segment property's value on an exposure, as text: from the event's properties (Segment's
 * `properties`, Amplitude's `event_properties`, a Bucketry event's own fields), else from the
 * user's attributes (Segment's `context.traits`, Amplitude's `user_properties`). Strings are kept
 * as they are, numbers and booleans as their JSON text; anything else (absent, null, "", an object
 * or an array) is no value: the unit is then in the "not set" slice.
 *
 * @example
 * ```ts
 * segmentValueOf({ event: 'experiment_exposure', context: { traits: { role: 'admin' } } }, event, 'role'); // 'admin'
 * ```
 */
export function segmentValueOf(line: unknown, event: ExportEvent, name: string): string | undefined {
  let value = own(event.properties, name);
  if (value === undefined || value === null) {
    value = event.flavor === 'segment' ? own(own(own(line, 'context'), 'traits'), name) : event.flavor === 'amplitude' ? own(own(line, 'user_properties'), name) : undefined;
  }
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Adds a SegmentValue record per segment for the exposure just recorded from `line` (whose unit they are: they carry none). */
export function addSegmentValues(segments: readonly string[], line: unknown, event: ExportEvent, lineNumber: number, records: LineRecords): void {
  for (let s = 0; s < segments.length; s++) {
    const value = segmentValueOf(line, event, segments[s]!);
    records.add(RecordKind.SegmentValue, lineNumber, s, value === undefined ? -1 : records.string(value), event.time, 0);
  }
}
