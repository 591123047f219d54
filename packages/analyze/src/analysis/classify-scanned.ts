import { EXPOSURE_EVENT } from '@bucketry/core';
import { AMPLITUDE_EXPOSURE_EVENT } from '../input/export-event.js';
import { bytesEqual } from '../input/field-names.js';
import { Field, FieldKind, LineFields, type FieldTable } from '../input/line-fields.js';
import { numberAt } from '../input/json-number.js';
import { scanLineFields } from '../input/scan-line.js';
import { parseFixedDateTime } from '../input/timestamp.js';
import type { ClassifierOptions } from './classify.js';
import { Count, RecordKind, type LineRecords } from './line-records.js';

const asciiBytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const EXPOSURE_BYTES = asciiBytes(EXPOSURE_EVENT);
const AMPLITUDE_EXPOSURE_BYTES = asciiBytes(AMPLITUDE_EXPOSURE_EVENT);

/** Whether bytes[start, end) is `name`. A name with a non-ASCII character never is: text fields are ASCII. */
const textIs = (bytes: Uint8Array, start: number, end: number, name: Uint8Array): boolean => end - start === name.length && bytesEqual(bytes, start, name);

/** The index of the name bytes[start, end) is among `names`, or -1. */
function indexOfText(bytes: Uint8Array, start: number, end: number, names: readonly Uint8Array[]): number {
  for (let k = 0; k < names.length; k++) if (textIs(bytes, start, end, names[k]!)) return k;
  return -1;
}

/** Declines a line in the fast path: JSON.parse and readExportEvent decide it. */
const DECLINE = -1;
/** A field that gives no unit, or no event id. */
const NONE = 0;

/** The unit field, NONE, or DECLINE when its value needs more than reading text; as readExportEvent's unitOf reads it: absent, null, false/true or "" give none. */
function unitFieldOf(table: FieldTable, field: Field): number {
  if (table.hasText(field)) return field;
  const kind = table.kind[field];
  return kind === FieldKind.Absent || kind === FieldKind.Null || kind === FieldKind.Boolean || kind === FieldKind.Text ? NONE : DECLINE;
}

/** The event id field, NONE, or DECLINE (an escaped or non-ASCII string); as readExportEvent reads it: only a non-empty string is an id. */
const idFieldOf = (table: FieldTable, field: Field): number => (table.hasText(field) ? field : table.kind[field] === FieldKind.OtherString ? DECLINE : NONE);

/**
 * The fast path of the classifier: the records of a plain event line, read from its bytes where
 * the scanner found its fields, the same records {@link ParsedLineReader} gives after JSON.parse.
 * It declines (returns false, recording nothing) any line it does not follow: a bad one, a
 * numeric unit, an escape in a field it reads, a line of a value series' event, an exposure when
 * segments are asked for.
 *
 * @example
 * ```ts
 * const reader = new ScannedLineReader(resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] }));
 * if (!reader.read(bytes, text, 0, bytes.length, 0, records)) {} // JSON.parse decides
 * ```
 */
export class ScannedLineReader {
  /** Where the fields of the line being read are. */
  private readonly fields = new LineFields();
  private readonly experimentBytes: Uint8Array;
  private readonly variantBytes: readonly Uint8Array[];
  private readonly metricBytes: readonly Uint8Array[];
  /** The events of the value series: their lines are read by JSON.parse, which reads any property. */
  private readonly valueEventBytes: readonly Uint8Array[];
  /** The last config version read, and its bytes: exposures nearly always repeat it. */
  private lastVersion = '';
  private lastVersionBytes = new Uint8Array(0);
  /** Where the event id of the line last read is in its bytes; both -1 when it has none. */
  idStart = -1;
  idEnd = -1;

  constructor(private readonly options: ClassifierOptions) {
    this.experimentBytes = Buffer.from(options.experiment);
    this.variantBytes = options.variants.map((v) => Buffer.from(v));
    this.metricBytes = options.trackedEvents.map((m) => Buffer.from(m));
    this.valueEventBytes = [...new Set(options.valueSeries.map((v) => v.event))].map((e) => Buffer.from(e));
  }

  /** Adds the records of the line bytes[start, end) (`text`: the bytes as Latin-1), or returns false having added none. */
  read(bytes: Uint8Array, text: string, start: number, end: number, line: number, records: LineRecords): boolean {
    if (!scanLineFields(bytes, start, end, this.fields)) return false;
    const fields = this.fields;
    const own = fields.line;
    const kind = own.kind;
    let nameField: Field;
    let unitField: number;
    let timeField: Field;
    let idField: number;
    let properties: FieldTable | undefined;
    let flavor: number;
    if (kind[Field.event_type] !== FieldKind.Absent) {
      flavor = Count.Amplitude;
      nameField = Field.event_type;
      unitField = unitFieldOf(own, Field.user_id);
      if (unitField === NONE) unitField = unitFieldOf(own, Field.device_id);
      timeField = kind[Field.event_time] !== FieldKind.Absent ? Field.event_time : Field.time;
      idField = idFieldOf(own, Field.insert_id);
      if (idField === NONE) idField = idFieldOf(own, Field.$insert_id);
      const propertiesKind = kind[Field.event_properties];
      if (propertiesKind === FieldKind.Object) properties = fields.eventProperties;
      else if (propertiesKind !== FieldKind.Absent && propertiesKind !== FieldKind.Null) return false;
    } else if (kind[Field.event] !== FieldKind.Absent) {
      nameField = Field.event;
      let segmentUnit = unitFieldOf(own, Field.userId);
      if (segmentUnit === NONE) segmentUnit = unitFieldOf(own, Field.anonymousId);
      if (segmentUnit === DECLINE) return false;
      if (segmentUnit === NONE && kind[Field.unit] !== FieldKind.Absent && kind[Field.properties] === FieldKind.Absent) {
        flavor = Count.Bucketry;
        unitField = own.hasText(Field.unit) ? Field.unit : DECLINE;
        idField = idFieldOf(own, Field.eventId);
        properties = own;
      } else {
        flavor = Count.Segment;
        unitField = segmentUnit;
        idField = idFieldOf(own, Field.messageId);
        const propertiesKind = kind[Field.properties];
        if (propertiesKind === FieldKind.Object) properties = fields.properties;
        else if (propertiesKind !== FieldKind.Absent && propertiesKind !== FieldKind.Null) return false;
      }
      timeField = kind[Field.timestamp] !== FieldKind.Absent || kind[Field.originalTimestamp] === FieldKind.Absent ? Field.timestamp : Field.originalTimestamp;
    } else {
      return false;
    }
    if (unitField <= NONE || idField === DECLINE || !own.hasText(nameField) || kind[timeField] !== FieldKind.Text) return false;
    const time = parseFixedDateTime(bytes, own.start[timeField]!, own.end[timeField]!);
    if (Number.isNaN(time)) return false;
    const nameStart = own.start[nameField]!;
    const nameEnd = own.end[nameField]!;
    const unitStart = own.start[unitField]!;
    const unitEnd = own.end[unitField]!;
    this.idStart = idField === NONE ? -1 : own.start[idField]!;
    this.idEnd = idField === NONE ? -1 : own.end[idField]!;

    // Lines of the value series' events name properties the scanner does not note: JSON.parse reads them.
    if (this.valueEventBytes.length > 0 && indexOfText(bytes, nameStart, nameEnd, this.valueEventBytes) >= 0) return false;
    const exposure = textIs(bytes, nameStart, nameEnd, EXPOSURE_BYTES);
    if (exposure || textIs(bytes, nameStart, nameEnd, AMPLITUDE_EXPOSURE_BYTES)) {
      if (properties === undefined) return false;
      const pk = properties.kind;
      const experimentField = !exposure && pk[Field.flag_key] !== FieldKind.Absent && pk[Field.flag_key] !== FieldKind.Null ? Field.flag_key : Field.experiment;
      if (!properties.hasText(experimentField)) return false;
      const experimentStart = properties.start[experimentField]!;
      const experimentEnd = properties.end[experimentField]!;
      if (!textIs(bytes, experimentStart, experimentEnd, this.experimentBytes)) {
        counted(records, flavor);
        records.add(RecordKind.OtherExperiment, line, records.string(text.slice(experimentStart, experimentEnd)), 0, time, 0);
        return true;
      }
      const variant = properties.hasText(Field.variant) ? indexOfText(bytes, properties.start[Field.variant]!, properties.end[Field.variant]!, this.variantBytes) : -1;
      if (variant < 0) return false;
      // Segment values may sit anywhere in the event (properties, traits): JSON.parse reads them.
      if (this.options.segments.length > 0) return false;
      const versionKind = pk[Field.configVersion];
      let version: string;
      if (versionKind === FieldKind.Text) version = this.versionAt(bytes, text, properties.start[Field.configVersion]!, properties.end[Field.configVersion]!);
      else if (versionKind === FieldKind.Absent || versionKind === FieldKind.Null || versionKind === FieldKind.Boolean) version = '(none)';
      else return false;
      counted(records, flavor);
      records.setUnitBytes(records.add(RecordKind.Exposure, line, variant, records.string(version), time, 0), bytes, unitStart, unitEnd);
      return true;
    }
    let durationField: Field | undefined;
    if (properties !== undefined) {
      if (properties.kind[Field.duration_ms] !== FieldKind.Absent) durationField = Field.duration_ms;
      else if (properties.kind[Field.latency_ms] !== FieldKind.Absent) durationField = Field.latency_ms;
    }
    let duration = 0;
    if (durationField !== undefined) {
      if (properties!.kind[durationField] !== FieldKind.Number) return false;
      duration = numberAt(bytes, text, properties!.start[durationField]!, properties!.end[durationField]!);
      if (!(Number.isFinite(duration) && duration >= 0)) return false;
    }
    counted(records, flavor);
    const metric = indexOfText(bytes, nameStart, nameEnd, this.metricBytes);
    if (metric >= 0) records.setUnitBytes(records.add(RecordKind.Metric, line, metric, 0, time, 0), bytes, unitStart, unitEnd);
    if (durationField !== undefined) {
      const name = metric >= 0 ? this.options.trackedEvents[metric]! : text.slice(nameStart, nameEnd);
      const fieldIndex = durationField === Field.duration_ms ? 0 : 1;
      records.setUnitBytes(records.add(RecordKind.Duration, line, records.string(name), fieldIndex, time, duration), bytes, unitStart, unitEnd);
    }
    return true;
  }

  /** The config version bytes[start, end) (text), the same string as last time when it repeats. */
  private versionAt(bytes: Uint8Array, text: string, start: number, end: number): string {
    if (!textIs(bytes, start, end, this.lastVersionBytes)) {
      this.lastVersion = text.slice(start, end);
      this.lastVersionBytes = Uint8Array.from(bytes.subarray(start, end));
    }
    return this.lastVersion;
  }
}

/** Counts a line read as an event of the flavor (a Count position). */
function counted(records: LineRecords, flavor: number): void {
  records.counts[Count.Events]!++;
  records.counts[flavor]!++;
}
