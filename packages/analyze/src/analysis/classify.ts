import { EXPOSURE_EVENT } from '@bucketry/core';
import { isAscii } from 'node:buffer';
import { AMPLITUDE_EXPOSURE_EVENT, DURATION_FIELDS } from '../input/export-event.js';
import { ParsedLineReader } from './classify-parsed.js';
import { ScannedLineReader } from './classify-scanned.js';
import { newEventIdSeed } from './event-id-hash.js';
import { Count, type LineRecords } from './line-records.js';
import type { ResolvedOptions } from './options.js';

/**
 * What a {@link LineClassifier} needs to know: plain data, so it can be sent to a worker thread.
 * `eventIdSeed` (see hashEventId) must be the same for every classifier of one run; by default
 * a new one.
 */
export type ClassifierOptions = Pick<ResolvedOptions, 'experiment' | 'variants' | 'trackedEvents' | 'valueSeries' | 'strict' | 'segments'> & { readonly eventIdSeed?: number };

/**
 * Lines are decoded as Latin-1 this many bytes at a time at most: V8 keeps strings up to about
 * 128 KiB in its young generation, where they are cheap to collect.
 */
const SEGMENT_BYTES = 1 << 16;

/**
 * The stateless half of reading an export: splits a block into lines and says what each line is
 * (blank, unrelated, bad and why, an exposure, a tracked event, a duration) as {@link LineRecords},
 * each with its event's id (as a fingerprint). What needs the whole export so far (distinct
 * units, counts, first exposures, ids seen) is the accumulator's. Independent blocks can be
 * classified on several threads and applied in order.
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
  private readonly parsed: ParsedLineReader;
  private readonly scanned: ScannedLineReader;
  private readonly eventIdSeed: number;

  /**
   * `scan: false` reads every line that needs reading with JSON.parse and readExportEvent: the
   * reference the scanner's fast path is tested against.
   */
  constructor(
    private readonly options: ClassifierOptions,
    private readonly scan = true,
  ) {
    this.parsed = new ParsedLineReader(options);
    this.scanned = new ScannedLineReader(options);
    this.eventIdSeed = options.eventIdSeed ?? newEventIdSeed();
    // Every line the analysis uses names one of these, quoted as JSON writes them. One regular
    // expression scans text several times faster than one String#includes per name. It runs
    // on the bytes read as Latin-1, so a name is searched for as its UTF-8 bytes.
    const valueEvents = [...new Set(options.valueSeries.map((v) => v.event))];
    const names = [EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, ...valueEvents, ...DURATION_FIELDS];
    const asBytes = (name: string) => Buffer.from(JSON.stringify(name)).toString('latin1');
    this.mentionsAnythingUsed = new RegExp(names.map((name) => escapeRegExp(asBytes(name))).join('|'), 'g');
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
        else records.addBad(line, 'not JSON', 'not JSON (not a {...} object)');
      }
      start = newline + 1;
    }
    return line;
  }

  /** The records of a line that names something the analysis uses: read from its bytes when plain, else parsed. */
  private classifyLine(bytes: Uint8Array, text: string, ascii: boolean, start: number, end: number, line: number, records: LineRecords): void {
    const first = records.count;
    const scanned = this.scanned;
    if (this.scan && scanned.read(bytes, text, start, end, line, records)) {
      if (records.count > first && scanned.idStart >= 0) records.setEventIdBytes(first, bytes, scanned.idStart, scanned.idEnd, this.eventIdSeed);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(ascii ? text.slice(start, end) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8', start, end));
    } catch (error) {
      records.addBad(line, 'not JSON', `not JSON (${(error as Error).message})`);
      return;
    }
    if (this.parsed.read(value, line, records) && records.count > first && this.parsed.event.id !== undefined) records.setEventId(first, this.parsed.event.id, this.eventIdSeed);
  }
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
