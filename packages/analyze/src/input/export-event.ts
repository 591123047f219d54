import { parseTimestamp } from './timestamp.js';

/** Amplitude Experiment's own exposure event; its experiment is `flag_key`. */
export const AMPLITUDE_EXPOSURE_EVENT = '$exposure';

/**
 * Which export a line came from, detected per line.
 *
 * @example
 * ```ts
 * const flavor: ExportFlavor = 'amplitude';
 * ```
 */
export type ExportFlavor = 'segment' | 'amplitude' | 'bucketry';

/**
 * One event from any flavor, in one shape.
 *
 * @example
 * ```ts
 * const event = readExportEvent(JSON.parse(line));
 * if (!('category' in event)) console.log(event.flavor, event.name, event.unit, event.time);
 * ```
 */
export interface ExportEvent {
  readonly flavor: ExportFlavor;
  /** `event` (Segment, Bucketry) or `event_type` (Amplitude). */
  readonly name: string;
  /** `userId` else `anonymousId` (Segment), `user_id` else `device_id` (Amplitude), `unit` (Bucketry). */
  readonly unit: string;
  /** Epoch milliseconds. */
  readonly time: number;
  /** `properties` (Segment), `event_properties` (Amplitude), the event itself (Bucketry). */
  readonly properties: Readonly<Record<string, unknown>>;
  /**
   * The event's id, by which a copy is told from it: `messageId` (Segment), `insert_id` else
   * `$insert_id` (Amplitude's HTTP API, its export), `eventId` (Bucketry). Undefined when it is
   * not a non-empty string.
   */
  readonly id: string | undefined;
}

/** Property names that carry a duration in milliseconds, in order of preference. */
export const DURATION_FIELDS = ['duration_ms', 'latency_ms'] as const;

/**
 * Why a line was skipped: a short category (counted) and the full message (reported).
 *
 * @example
 * ```ts
 * const result = readExportEvent({ event: 'x' });
 * if ('category' in result) console.log(result.category); // 'missing unit'
 * ```
 */
export interface BadLine {
  readonly category: string;
  readonly message: string;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

const bad = (category: string, message: string): BadLine => ({ category, message });

/** A unit id: a non-empty string, or a finite number (some exports write numeric user ids). */
function unitOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An event id: a non-empty string. */
const idOf = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

function propertiesOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined || value === null) return EMPTY;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return undefined;
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value)));

/**
 * Reads one parsed export line as an {@link ExportEvent}, or says why it cannot be used. The
 * flavor is detected per line: `event_type` means Amplitude; `event` with a top-level `unit` and
 * no `userId`/`anonymousId` means a Bucketry sink's own JSON; any other `event` means Segment.
 *
 * @example
 * ```ts
 * readExportEvent({ event: 'experiment_exposure', userId: 'u1', timestamp: '2025-06-02T08:00:00.000Z',
 *   properties: { experiment: 'skill_tree_layout', variant: 'list' } });
 * // { flavor: 'segment', name: 'experiment_exposure', unit: 'u1', time: 1748851200000, properties: {...}, id: undefined }
 * ```
 */
export function readExportEvent(value: unknown): ExportEvent | BadLine {
  const event = {} as ExportEvent;
  return readExportEventInto(value, event) ?? event;
}

/**
 * {@link readExportEvent} without allocating: fills `target` and returns undefined, or returns why
 * the line cannot be used. The analysis reuses one target for every line.
 */
export function readExportEventInto(value: unknown, target: ExportEvent): BadLine | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return bad('not a JSON object', `not a JSON object (${Array.isArray(value) ? 'an array' : show(value)})`);
  }
  const record = value as Record<string, unknown>;
  let flavor: ExportFlavor;
  let name: unknown;
  let unit: string | undefined;
  let rawTime: unknown;
  let timeField: string;
  let properties: Readonly<Record<string, unknown>> | undefined;
  let id: string | undefined;
  if (record.event_type !== undefined) {
    flavor = 'amplitude';
    id = idOf(record.insert_id) ?? idOf(record.$insert_id);
    name = record.event_type;
    unit = unitOf(record.user_id) ?? unitOf(record.device_id);
    timeField = record.event_time !== undefined ? 'event_time' : 'time';
    rawTime = record[timeField];
    properties = propertiesOf(record.event_properties);
    if (properties === undefined) return bad('bad properties', `event_properties is ${show(record.event_properties)}, must be an object`);
  } else if (record.event !== undefined) {
    name = record.event;
    const segmentUnit = unitOf(record.userId) ?? unitOf(record.anonymousId);
    if (segmentUnit === undefined && record.unit !== undefined && record.properties === undefined) {
      flavor = 'bucketry';
      unit = unitOf(record.unit);
      properties = record;
      id = idOf(record.eventId);
    } else {
      flavor = 'segment';
      id = idOf(record.messageId);
      unit = segmentUnit;
      properties = propertiesOf(record.properties);
      if (properties === undefined) return bad('bad properties', `properties is ${show(record.properties)}, must be an object`);
    }
    timeField = record.timestamp !== undefined || record.originalTimestamp === undefined ? 'timestamp' : 'originalTimestamp';
    rawTime = record[timeField];
  } else {
    return bad('missing event name', 'missing event name: no "event" (Segment) or "event_type" (Amplitude)');
  }
  if (typeof name !== 'string' || name.length === 0) return bad('missing event name', `event name is ${show(name)}, must be a non-empty string`);
  if (unit === undefined) {
    const fields = flavor === 'amplitude' ? 'user_id or device_id' : flavor === 'bucketry' ? 'unit' : 'userId or anonymousId';
    return bad('missing unit', `missing unit: no ${fields} on "${name}"`);
  }
  if (rawTime === undefined) return bad('missing timestamp', `missing timestamp: no ${timeField} on "${name}"`);
  const time = parseTimestamp(rawTime);
  if (Number.isNaN(time)) {
    return bad('bad timestamp', `bad timestamp ${show(rawTime)} in ${timeField}: must be ISO 8601, "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) or epoch milliseconds`);
  }
  const out = target as { -readonly [K in keyof ExportEvent]: ExportEvent[K] };
  out.flavor = flavor;
  out.name = name;
  out.unit = unit;
  out.time = time;
  out.properties = properties;
  out.id = id;
  return undefined;
}

/** Where a property sits in the flavor's JSON, for messages: `properties.variant`, `event_properties.variant`, `variant`. */
export function propertyPath(flavor: ExportFlavor, name: string): string {
  return flavor === 'amplitude' ? `event_properties.${name}` : flavor === 'bucketry' ? name : `properties.${name}`;
}
