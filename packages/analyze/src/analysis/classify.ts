import { EXPOSURE_EVENT } from '@bucketry/core';
import { isAscii } from 'node:buffer';
import { AMPLITUDE_EXPOSURE_EVENT, propertyPath, readExportEventInto, type ExportEvent } from '../input/export-event.js';
import { Field, FieldKind, LineFields, numberAt, scanLineFields, type FieldTable } from '../input/scan-line.js';
import { parseFixedDateTime } from '../input/timestamp.js';
import { Count, LineRecords, RecordKind } from './line-records.js';
import { addSegmentValues } from './segment-value.js';
import type { ResolvedOptions } from './options.js';

/** Property names that carry a duration in milliseconds, in order of preference. */
export const DURATION_FIELDS = ['duration_ms', 'latency_ms'] as const;

/** What a {@link LineClassifier} needs to know: plain data, so it can be sent to a worker thread. */
export type ClassifierOptions = Pick<ResolvedOptions, 'experiment' | 'variants' | 'trackedEvents' | 'valueSeries' | 'strict' | 'segments'>;

const asciiBytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const EXPOSURE_BYTES = asciiBytes(EXPOSURE_EVENT);
const AMPLITUDE_EXPOSURE_BYTES = asciiBytes(AMPLITUDE_EXPOSURE_EVENT);

/** Whether bytes[start, end) is `name`. A name with a non-ASCII character never is: text fields are ASCII. */
function textIs(bytes: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name[k]) return false;
  return true;
}

/** The index of the name bytes[start, end) is among `names`, or -1. */
function indexOfText(bytes: Uint8Array, start: number, end: number, names: readonly Uint8Array[]): number {
  for (let k = 0; k < names.length; k++) if (textIs(bytes, start, end, names[k]!)) return k;
  return -1;
}

/** Whether a unit field gives no unit, as readExportEvent's unitOf reads it: absent, null, false/true or "". */
const givesNoUnit = (table: FieldTable, field: Field): boolean =>
  table.kind[field] === FieldKind.Absent || table.kind[field] === FieldKind.Null || table.kind[field] === FieldKind.Boolean || (table.kind[field] === FieldKind.Text && table.end[field] === table.start[field]);
/** Declines a line in the fast path: JSON.parse and readExportEvent decide it. */
const DECLINE = -1;
/** A unit field that gives no unit. */
const NO_UNIT = 0;

/** The unit field, NO_UNIT, or DECLINE when its value needs more than reading text. */
function unitFieldOf(table: FieldTable, field: Field): number {
  if (table.hasText(field)) return field;
  return givesNoUnit(table, field) ? NO_UNIT : DECLINE;
}

/**
 * Lines are decoded as Latin-1 this many bytes at a time at most: V8 keeps strings up to about
 * 128 KiB in its young generation, where they are cheap to collect.
 */
const SEGMENT_BYTES = 1 << 16;

/**
 * The stateless half of reading an export: splits a block into lines and says what each line is
 * (blank, unrelated, bad and why, an exposure, a tracked event, a duration) as {@link LineRecords}.
 * What needs the whole export so far (distinct units, counts, first exposures) is the
 * accumulator's. Independent blocks can be classified on several threads and applied in order.
 *
 * @example
 * ```ts
 * const classifier = new LineClassifier(resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] }));
 * const records = new LineRecords();
 * classifier.classify(Buffer.from('{"event":"experiment_exposure","userId":"u1",...}\n'), records);
 * ```
 */
export class LineClassifier {
  /** Global, so one search runs on through the lines that mention nothing (see classifySegment). */
  private readonly mentionsAnythingUsed: RegExp;
  private readonly variantIndex: Map<string, number>;
  private readonly metricIndex: Map<string, number>;
  /** Reused for every line, so reading one allocates nothing beyond what JSON.parse does. */
  private readonly event = {} as ExportEvent;
  /** Where the fields of the line being read are, when the scanner could read it. */
  private readonly fields = new LineFields();
  private readonly experimentBytes: Uint8Array;
  private readonly variantBytes: readonly Uint8Array[];
  private readonly metricBytes: readonly Uint8Array[];
  /** The events of the value series: their lines are read by JSON.parse, which reads any property. */
  private readonly valueEventBytes: readonly Uint8Array[];
  /** The last config version read, and its bytes: exposures nearly always repeat it. */
  private lastVersion = '';
  private lastVersionBytes = new Uint8Array(0);

  /**
   * `scan: false` reads every line that needs reading with JSON.parse and readExportEvent: the
   * reference the scanner's fast path is tested against.
   */
  constructor(
    private readonly options: ClassifierOptions,
    private readonly scan = true,
  ) {
    this.variantIndex = new Map(options.variants.map((v, i) => [v, i]));
    this.metricIndex = new Map(options.trackedEvents.map((m, i) => [m, i]));
    // Every line the analysis uses names one of these, quoted as JSON writes them. One regular
    // expression scans text several times faster than one String#includes per name. It runs
    // on the bytes read as Latin-1, so a name is searched for as its UTF-8 bytes.
    const valueEvents = [...new Set(options.valueSeries.map((v) => v.event))];
    const names = [EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, ...valueEvents, ...DURATION_FIELDS];
    const asBytes = (name: string) => Buffer.from(JSON.stringify(name)).toString('latin1');
    this.mentionsAnythingUsed = new RegExp(names.map((name) => escapeRegExp(asBytes(name))).join('|'), 'g');
    this.experimentBytes = Buffer.from(options.experiment);
    this.variantBytes = options.variants.map((v) => Buffer.from(v));
    this.metricBytes = options.trackedEvents.map((m) => Buffer.from(m));
    this.valueEventBytes = valueEvents.map((e) => Buffer.from(e));
  }

  /**
   * Adds the records of a block of whole lines (see readLineBlocks) to `records`, lines numbered
   * from 0 within the block.
   */
  classify(bytes: Uint8Array, records: LineRecords): void {
    let start = 0;
    let line = 0;
    while (start < bytes.length) {
      let end = Math.min(start + SEGMENT_BYTES, bytes.length);
      if (end < bytes.length) {
        const newline = bytes.lastIndexOf(10, end - 1);
        end = newline >= start ? newline + 1 : bytes.indexOf(10, end) + 1 || bytes.length;
      }
      line = this.classifySegment(bytes.subarray(start, end), line, records);
      start = end;
    }
  }

  /** Lines are found in the bytes read as Latin-1 (one character per byte, so offsets agree). */
  private classifySegment(bytes: Uint8Array, line: number, records: LineRecords): number {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    const ascii = isAscii(bytes);
    const length = text.length;
    const counts = records.counts;
    const mentions = this.mentionsAnythingUsed;
    /** Where the next mention of a used name ends, at or after `start`: before it, lines are unrelated. */
    let mention = -1;
    for (let start = 0; start < length; line++) {
      let newline = text.indexOf('\n', start);
      if (newline === -1) newline = length;
      const end = newline > start && bytes[newline - 1] === 13 ? newline - 1 : newline;
      counts[Count.Lines]!++;
      if (isBlank(bytes, start, end)) {
        counts[Count.BlankLines]!++;
      } else {
        if (mention < start && !this.options.strict) {
          mentions.lastIndex = start;
          mention = mentions.test(text) ? mentions.lastIndex - 1 : length;
        }
        if (this.options.strict || mention < newline) this.classifyLine(bytes, text, ascii, start, end, line, records);
        else if (looksLikeObject(bytes, start, end)) counts[Count.UnrelatedLines]!++;
        else bad(records, line, 'not JSON', 'not JSON (not a {...} object)');
      }
      start = newline + 1;
    }
    return line;
  }

  private classifyLine(bytes: Uint8Array, text: string, ascii: boolean, start: number, end: number, line: number, records: LineRecords): void {
    if (this.scan && scanLineFields(bytes, start, end, this.fields) && this.classifyScanned(bytes, text, line, records)) return;
    let value: unknown;
    try {
      value = JSON.parse(ascii ? text.slice(start, end) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end));
    } catch (error) {
      bad(records, line, 'not JSON', `not JSON (${(error as Error).message})`);
      return;
    }
    const event = this.event;
    const problem = readExportEventInto(value, event);
    if (problem !== undefined) {
      bad(records, line, problem.category, problem.message);
      return;
    }
    records.counts[Count.Events]!++;
    records.counts[event.flavor === 'segment' ? Count.Segment : event.flavor === 'amplitude' ? Count.Amplitude : Count.Bucketry]!++;
    const p = event.properties;
    if (event.name === EXPOSURE_EVENT || event.name === AMPLITUDE_EXPOSURE_EVENT) {
      const experiment = event.name === EXPOSURE_EVENT ? p.experiment : (p.flag_key ?? p.experiment);
      const variant = this.exposedVariant(event, experiment, p.variant, line, records);
      if (variant >= 0) {
        const configVersion = p.configVersion;
        const version = typeof configVersion === 'string' || typeof configVersion === 'number' ? String(configVersion) : '(none)';
        records.setUnitId(records.add(RecordKind.Exposure, line, variant, records.string(version), event.time, 0), event.unit);
        addSegmentValues(this.options.segments, value, event, line, records);
      }
      return;
    }
    let field = -1;
    let duration: unknown;
    for (let f = 0; f < DURATION_FIELDS.length; f++) {
      duration = p[DURATION_FIELDS[f]!];
      if (duration !== undefined) {
        field = f;
        break;
      }
    }
    if (field >= 0 && !(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0)) {
      bad(records, line, 'bad duration', `${propertyPath(event.flavor, DURATION_FIELDS[field]!)} is ${JSON.stringify(duration)}, must be a number >= 0 (milliseconds)`);
      return;
    }
    const series = this.options.valueSeries;
    for (let s = 0; s < series.length; s++) {
      const property = series[s]!.property;
      if (series[s]!.event !== event.name || property === undefined) continue;
      const value = Object.hasOwn(p, property) ? p[property] : undefined;
      if (value !== undefined && value !== null && !(typeof value === 'number' && Number.isFinite(value))) {
        bad(records, line, 'bad value', `${propertyPath(event.flavor, property)} is ${JSON.stringify(value)}, must be a number`);
        return;
      }
    }
    for (let s = 0; s < series.length; s++) {
      const { event: name, property } = series[s]!;
      if (name !== event.name) continue;
      const value = property === undefined ? 1 : Object.hasOwn(p, property) ? p[property] : undefined;
      if (typeof value === 'number') records.setUnitId(records.add(RecordKind.Value, line, s, 0, event.time, value), event.unit);
    }
    const metric = this.metricIndex.get(event.name);
    if (metric !== undefined) records.setUnitId(records.add(RecordKind.Metric, line, metric, 0, event.time, 0), event.unit);
    if (field >= 0) records.setUnitId(records.add(RecordKind.Duration, line, records.string(event.name), field, event.time, duration as number), event.unit);
  }

  /**
   * The records of a line the scanner read, from its bytes, when it is a plain event: what
   * {@link classifyLine} gives after JSON.parse and readExportEventInto, for the lines those
   * accept with no more than text, fixed-width timestamps and numeric durations. False for any
   * other line (a bad one, a numeric unit, an escape in a field it reads...), with nothing
   * recorded: the general path then decides.
   */
  private classifyScanned(bytes: Uint8Array, text: string, line: number, records: LineRecords): boolean {
    const fields = this.fields;
    const own = fields.line;
    const kind = own.kind;
    let nameField: Field;
    let unitField: number;
    let timeField: Field;
    let properties: FieldTable | undefined;
    let flavor: number;
    if (kind[Field.event_type] !== FieldKind.Absent) {
      flavor = Count.Amplitude;
      nameField = Field.event_type;
      unitField = unitFieldOf(own, Field.user_id);
      if (unitField === NO_UNIT) unitField = unitFieldOf(own, Field.device_id);
      timeField = kind[Field.event_time] !== FieldKind.Absent ? Field.event_time : Field.time;
      const propertiesKind = kind[Field.event_properties];
      if (propertiesKind === FieldKind.Object) properties = fields.eventProperties;
      else if (propertiesKind !== FieldKind.Absent && propertiesKind !== FieldKind.Null) return false;
    } else if (kind[Field.event] !== FieldKind.Absent) {
      nameField = Field.event;
      let segmentUnit = unitFieldOf(own, Field.userId);
      if (segmentUnit === NO_UNIT) segmentUnit = unitFieldOf(own, Field.anonymousId);
      if (segmentUnit === DECLINE) return false;
      if (segmentUnit === NO_UNIT && kind[Field.unit] !== FieldKind.Absent && kind[Field.properties] === FieldKind.Absent) {
        flavor = Count.Bucketry;
        unitField = own.hasText(Field.unit) ? Field.unit : DECLINE;
        properties = own;
      } else {
        flavor = Count.Segment;
        unitField = segmentUnit;
        const propertiesKind = kind[Field.properties];
        if (propertiesKind === FieldKind.Object) properties = fields.properties;
        else if (propertiesKind !== FieldKind.Absent && propertiesKind !== FieldKind.Null) return false;
      }
      timeField = kind[Field.timestamp] !== FieldKind.Absent || kind[Field.originalTimestamp] === FieldKind.Absent ? Field.timestamp : Field.originalTimestamp;
    } else {
      return false;
    }
    if (unitField <= NO_UNIT || !own.hasText(nameField) || kind[timeField] !== FieldKind.Text) return false;
    const time = parseFixedDateTime(bytes, own.start[timeField]!, own.end[timeField]!);
    if (Number.isNaN(time)) return false;
    const nameStart = own.start[nameField]!;
    const nameEnd = own.end[nameField]!;
    const unitStart = own.start[unitField]!;
    const unitEnd = own.end[unitField]!;

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
        this.counted(records, flavor);
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
      this.counted(records, flavor);
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
    this.counted(records, flavor);
    const metric = indexOfText(bytes, nameStart, nameEnd, this.metricBytes);
    if (metric >= 0) records.setUnitBytes(records.add(RecordKind.Metric, line, metric, 0, time, 0), bytes, unitStart, unitEnd);
    if (durationField !== undefined) {
      const name = metric >= 0 ? this.options.trackedEvents[metric]! : text.slice(nameStart, nameEnd);
      const fieldIndex = durationField === Field.duration_ms ? 0 : 1;
      records.setUnitBytes(records.add(RecordKind.Duration, line, records.string(name), fieldIndex, time, duration), bytes, unitStart, unitEnd);
    }
    return true;
  }

  /** Counts a line read as an event of the flavor (a Count position). */
  private counted(records: LineRecords, flavor: number): void {
    records.counts[Count.Events]!++;
    records.counts[flavor]!++;
  }

  /** The config version bytes[start, end) (text), the same string as last time when it repeats. */
  private versionAt(bytes: Uint8Array, text: string, start: number, end: number): string {
    if (!textIs(bytes, start, end, this.lastVersionBytes)) {
      this.lastVersion = text.slice(start, end);
      this.lastVersionBytes = Uint8Array.from(bytes.subarray(start, end));
    }
    return this.lastVersion;
  }

  /** The index of the variant an exposure to this experiment is to; -1 (and a record) otherwise. */
  private exposedVariant(event: ExportEvent, experiment: unknown, variant: unknown, line: number, records: LineRecords): number {
    const at = (name: string) => propertyPath(event.flavor, name);
    if (typeof experiment !== 'string' || experiment.length === 0) {
      bad(records, line, 'missing experiment', `exposure without an experiment: ${at(event.name === AMPLITUDE_EXPOSURE_EVENT ? 'flag_key' : 'experiment')} is ${JSON.stringify(experiment) ?? 'missing'}`);
      return -1;
    }
    if (experiment !== this.options.experiment) {
      records.add(RecordKind.OtherExperiment, line, records.string(experiment), 0, event.time, 0);
      return -1;
    }
    if (typeof variant !== 'string' || variant.length === 0) {
      bad(records, line, 'missing variant', `exposure without a variant: ${at('variant')} is ${JSON.stringify(variant) ?? 'missing'}`);
      return -1;
    }
    const index = this.variantIndex.get(variant);
    if (index === undefined) {
      bad(records, line, 'unknown variant', `unknown variant ${JSON.stringify(variant)} (expected ${this.options.variants.join(', ')})`);
      return -1;
    }
    return index;
  }
}

function bad(records: LineRecords, line: number, category: string, message: string): void {
  records.add(RecordKind.Bad, line, records.string(category), records.string(message), 0, 0);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** JSON's whitespace within a line: space, tab, carriage return. */
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13;

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpace(bytes[i]!)) return false;
  return true;
}

/**
 * Starts with `{` and ends with `}`, whitespace aside. Only called on a line that is not blank,
 * so both loops stop inside it: a control character is not whitespace, and must not let them run
 * on into the lines around.
 */
function looksLikeObject(bytes: Uint8Array, start: number, end: number): boolean {
  while (isSpace(bytes[start]!)) start++;
  while (isSpace(bytes[end - 1]!)) end--;
  return bytes[start] === 123 /* { */ && bytes[end - 1] === 125 /* } */;
}
