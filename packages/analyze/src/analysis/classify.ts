import { EXPOSURE_EVENT } from '@bucketry/core';
import { isAscii } from 'node:buffer';
import { AMPLITUDE_EXPOSURE_EVENT, propertyPath, readExportEventInto, type ExportEvent } from '../input/export-event.js';
import { KnownNames, ScannedLine, scanExportLine } from '../input/scan-line.js';
import { Count, LineRecords, RecordKind } from './line-records.js';
import type { ResolvedOptions } from './options.js';

/** Property names that carry a duration in milliseconds, in order of preference. */
export const DURATION_FIELDS = ['duration_ms', 'latency_ms'] as const;

/** What a {@link LineClassifier} needs to know: plain data, so it can be sent to a worker thread. */
export type ClassifierOptions = Pick<ResolvedOptions, 'experiment' | 'variants' | 'trackedEvents' | 'strict'>;

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
  private readonly knownNames: KnownNames;
  private readonly variantIndex: Map<string, number>;
  private readonly metricIndex: Map<string, number>;
  /** Reused for every line, so reading one allocates nothing beyond what JSON.parse does. */
  private readonly event = {} as ExportEvent;
  /** The fields of the line being read, when the scanner could read it without JSON.parse. */
  private readonly scanned = new ScannedLine();

  constructor(private readonly options: ClassifierOptions) {
    this.variantIndex = new Map(options.variants.map((v, i) => [v, i]));
    this.metricIndex = new Map(options.trackedEvents.map((m, i) => [m, i]));
    // Every line the analysis uses names one of these, quoted as JSON writes them. One regular
    // expression scans text several times faster than one String#includes per name. It runs
    // on the bytes read as Latin-1, so a name is searched for as its UTF-8 bytes.
    const names = [EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, ...DURATION_FIELDS];
    const asBytes = (name: string) => Buffer.from(JSON.stringify(name)).toString('latin1');
    this.mentionsAnythingUsed = new RegExp(names.map((name) => escapeRegExp(asBytes(name))).join('|'), 'g');
    this.knownNames = new KnownNames([EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, options.experiment, ...options.variants]);
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
    let value: unknown = this.scanned;
    const scanned = scanExportLine(bytes, text, start, end, this.scanned, this.knownNames);
    if (!scanned) {
      try {
        value = JSON.parse(ascii ? text.slice(start, end) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end));
      } catch (error) {
        bad(records, line, 'not JSON', `not JSON (${(error as Error).message})`);
        return;
      }
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
    const unitAt = scanned ? this.scanned.unitBytesAt(event.unit) : -1;
    if (event.name === EXPOSURE_EVENT || event.name === AMPLITUDE_EXPOSURE_EVENT) {
      const experiment = event.name === EXPOSURE_EVENT ? p.experiment : (p.flag_key ?? p.experiment);
      const variant = this.exposedVariant(event, experiment, p.variant, line, records);
      if (variant >= 0) {
        const configVersion = p.configVersion;
        const version = typeof configVersion === 'string' || typeof configVersion === 'number' ? String(configVersion) : '(none)';
        setUnit(records, records.add(RecordKind.Exposure, line, variant, records.string(version), event.time, 0), bytes, unitAt, event.unit);
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
    const metric = this.metricIndex.get(event.name);
    if (metric !== undefined) setUnit(records, records.add(RecordKind.Metric, line, metric, 0, event.time, 0), bytes, unitAt, event.unit);
    if (field >= 0) setUnit(records, records.add(RecordKind.Duration, line, records.string(event.name), field, event.time, duration as number), bytes, unitAt, event.unit);
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

/** The unit of a record: copied from the line's bytes where the scanner found it (`at`), else written from the id. */
function setUnit(records: LineRecords, record: number, bytes: Uint8Array, at: number, unit: string): void {
  if (at >= 0) records.setUnitBytes(record, bytes, at, at + unit.length);
  else records.setUnitId(record, unit);
}

function bad(records: LineRecords, line: number, category: string, message: string): void {
  records.add(RecordKind.Bad, line, records.string(category), records.string(message), 0, 0);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Starts with `{` and ends with `}`, whitespace aside. Only called on a line that is not blank. */
function looksLikeObject(bytes: Uint8Array, start: number, end: number): boolean {
  while (bytes[start]! <= 32) start++;
  while (bytes[end - 1]! <= 32) end--;
  return bytes[start] === 123 /* { */ && bytes[end - 1] === 125 /* } */;
}
