import { EXPOSURE_EVENT } from '@bucketry/core';
import { isAscii } from 'node:buffer';
import { AMPLITUDE_EXPOSURE_EVENT, propertyPath, readExportEventInto, type ExportEvent } from '../input/export-event.js';
import { detachedCopy, KnownNames, ScannedLine, scanExportLine } from '../input/scan-line.js';
import { QuantileSketch } from '../stats/quantile-sketch.js';
import type { ResolvedOptions } from './options.js';
import { UnitTable } from './unit-table.js';

/** Property names that carry a duration in milliseconds, in order of preference. */
export const DURATION_FIELDS = ['duration_ms', 'latency_ms'] as const;

/** Distinct config versions counted one by one; the rest are pooled so memory stays bounded. */
const MAX_CONFIG_VERSIONS = 100;
/** Distinct events whose durations are kept; later ones are counted and dropped. */
const MAX_DURATION_EVENTS = 64;

/** A skipped line, as reported. */
export interface BadLineExample {
  readonly line: number;
  readonly reason: string;
}

/** Durations of one event, per variant. */
export interface DurationSeries {
  /** The property the durations came from (the first one seen). */
  readonly field: string;
  /** One sketch per variant. */
  readonly byVariant: QuantileSketch[];
}

/** Called for every bad line, e.g. to print it as it is found. */
export type BadLineListener = (line: number, reason: string) => void;

/**
 * Reads export lines one at a time into counts and per-unit state; the report is built from it
 * at the end ({@link buildReport}). Memory grows with distinct units only (see {@link UnitTable}).
 *
 * @example
 * ```ts
 * const accumulator = new ExportAccumulator(resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] }));
 * accumulator.addBlock(Buffer.from('{"event":"experiment_exposure","userId":"u1",...}\n'), 1);
 * ```
 */
export class ExportAccumulator {
  readonly units: UnitTable;
  /** Exposure events per variant (all of them, before excluding units in several variants). */
  readonly exposures: number[];
  lines = 0;
  blankLines = 0;
  /** Lines that name nothing the analysis uses, not parsed (see `strict`). */
  unrelatedLines = 0;
  /** Parsed events, whatever they were. */
  events = 0;
  otherExperimentExposures = 0;
  /** Names of other experiments seen in exposures (the first few), to spot a mistyped --experiment. */
  readonly otherExperiments = new Set<string>();
  /** Exposures of this experiment left out by the config-version filter. */
  otherVersionExposures = 0;
  readonly configVersions = new Map<string, number>();
  badLineCount = 0;
  readonly badLinesByCategory = new Map<string, number>();
  readonly badLineExamples: BadLineExample[] = [];
  /** Earliest and latest time of an exposure or tracked event. */
  firstTime = Infinity;
  lastTime = -Infinity;
  readonly durations = new Map<string, DurationSeries>();
  /** Durations from units not (yet) exposed, from units in several variants, or from before exposure. */
  unattributedDurations = 0;
  /** Durations of events beyond the first {@link MAX_DURATION_EVENTS} names, dropped. */
  droppedDurations = 0;
  readonly flavors = { segment: 0, amplitude: 0, bucketry: 0 };
  /** Events per tracked name (`options.trackedEvents`), exposed units or not. */
  readonly trackedEventCounts: number[];

  private readonly variantIndex: Map<string, number>;
  private readonly metricIndex: Map<string, number>;
  /** Global, so one search runs on through the lines that mention nothing (see addBlock). */
  private readonly mentionsAnythingUsed: RegExp;
  /** Reused for every line, so reading one allocates nothing beyond what JSON.parse does. */
  private readonly event = {} as ExportEvent;
  /** The fields of the line being read, when the scanner could read it without JSON.parse. */
  private readonly scanned = new ScannedLine();
  private readonly knownNames: KnownNames;

  constructor(
    readonly options: ResolvedOptions,
    private readonly onBadLine?: BadLineListener,
  ) {
    this.units = new UnitTable(options.trackedEvents.length);
    this.exposures = options.variants.map(() => 0);
    this.trackedEventCounts = options.trackedEvents.map(() => 0);
    this.variantIndex = new Map(options.variants.map((v, i) => [v, i]));
    this.metricIndex = new Map(options.trackedEvents.map((m, i) => [m, i]));
    // Every line the analysis uses names one of these, quoted as JSON writes them. One regular
    // expression scans a line several times faster than one String#includes per name. It runs
    // on the bytes read as Latin-1, so a name is searched for as its UTF-8 bytes.
    const names = [EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, ...DURATION_FIELDS];
    const asBytes = (name: string) => Buffer.from(JSON.stringify(name)).toString('latin1');
    this.mentionsAnythingUsed = new RegExp(names.map((name) => escapeRegExp(asBytes(name))).join('|'), 'g');
    this.knownNames = new KnownNames([EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, options.experiment, ...options.variants]);
  }

  /** Records a bad line: counted, kept as an example while there is room, passed to the listener. */
  bad(line: number, category: string, reason: string): void {
    this.badLineCount++;
    this.badLinesByCategory.set(category, (this.badLinesByCategory.get(category) ?? 0) + 1);
    if (this.badLineExamples.length < this.options.maxBadLineExamples) this.badLineExamples.push({ line, reason: detachedCopy(reason) });
    this.onBadLine?.(line, reason);
  }

  /** A line too long to keep (see readLines). */
  tooLong(line: number): void {
    this.lines++;
    this.bad(line, 'line too long', 'line too long (over 1 MiB), skipped');
  }

  /**
   * Reads a block of whole lines (see readLineBlocks) and returns how many it held. Lines are
   * found in the bytes read as Latin-1 (one character per byte); only lines that fail the fast
   * scanner are decoded as UTF-8 on their own.
   */
  addBlock(bytes: Buffer, firstLine: number): number {
    const text = bytes.toString('latin1');
    const ascii = isAscii(bytes);
    const length = text.length;
    const mentions = this.mentionsAnythingUsed;
    /** Where the next mention of a used name ends, at or after `start`: past it, lines are unrelated. */
    let mention = -1;
    let line = firstLine;
    for (let start = 0; start < length; line++) {
      let newline = text.indexOf('\n', start);
      if (newline === -1) newline = length;
      const end = newline > start && bytes[newline - 1] === 13 ? newline - 1 : newline;
      this.lines++;
      if (isBlank(bytes, start, end)) {
        this.blankLines++;
      } else {
        if (mention < start && !this.options.strict) {
          mentions.lastIndex = start;
          mention = mentions.test(text) ? mentions.lastIndex - 1 : length;
        }
        if (this.options.strict || mention < newline) this.addEventLine(bytes, text, ascii, start, end, line);
        else if (looksLikeObject(bytes, start, end)) this.unrelatedLines++;
        else this.bad(line, 'not JSON', 'not JSON (not a {...} object)');
      }
      start = newline + 1;
    }
    return line - firstLine;
  }

  private addEventLine(bytes: Buffer, text: string, ascii: boolean, start: number, end: number, line: number): void {
    let value: unknown = this.scanned;
    if (!scanExportLine(bytes, text, start, end, this.scanned, this.knownNames)) {
      try {
        value = JSON.parse(ascii ? text.slice(start, end) : bytes.toString('utf8', start, end));
      } catch (error) {
        this.bad(line, 'not JSON', `not JSON (${(error as Error).message})`);
        return;
      }
    }
    const event = this.event;
    const problem = readExportEventInto(value, event);
    if (problem !== undefined) {
      this.bad(line, problem.category, problem.message);
      return;
    }
    this.events++;
    this.flavors[event.flavor]++;
    const p = event.properties;
    if (event.name === EXPOSURE_EVENT) {
      this.addExposure(event, p.experiment, p.variant, p.configVersion, line);
      return;
    }
    if (event.name === AMPLITUDE_EXPOSURE_EVENT) {
      this.addExposure(event, p.flag_key ?? p.experiment, p.variant, p.configVersion, line);
      return;
    }
    let durationField: string | undefined;
    let duration: unknown;
    for (const field of DURATION_FIELDS) {
      duration = p[field];
      if (duration !== undefined) {
        durationField = field;
        break;
      }
    }
    if (durationField !== undefined && !(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0)) {
      this.bad(line, 'bad duration', `${propertyPath(event.flavor, durationField)} is ${JSON.stringify(duration)}, must be a number >= 0 (milliseconds)`);
      return;
    }
    const metric = this.metricIndex.get(event.name);
    if (metric !== undefined) {
      this.trackedEventCounts[metric]!++;
      this.units.track(this.units.row(event.unit), metric, event.time);
      this.seen(event.time);
    }
    if (durationField !== undefined) this.addDuration(event, durationField, duration as number);
  }

  private seen(time: number): void {
    if (time < this.firstTime) this.firstTime = time;
    if (time > this.lastTime) this.lastTime = time;
  }

  private addExposure(event: ExportEvent, experiment: unknown, variant: unknown, configVersion: unknown, line: number): void {
    const at = (name: string) => propertyPath(event.flavor, name);
    if (typeof experiment !== 'string' || experiment.length === 0) {
      this.bad(line, 'missing experiment', `exposure without an experiment: ${at(event.name === AMPLITUDE_EXPOSURE_EVENT ? 'flag_key' : 'experiment')} is ${JSON.stringify(experiment) ?? 'missing'}`);
      return;
    }
    if (experiment !== this.options.experiment) {
      this.otherExperimentExposures++;
      if (this.otherExperiments.size < 20 && !this.otherExperiments.has(experiment)) this.otherExperiments.add(detachedCopy(experiment));
      return;
    }
    if (typeof variant !== 'string' || variant.length === 0) {
      this.bad(line, 'missing variant', `exposure without a variant: ${at('variant')} is ${JSON.stringify(variant) ?? 'missing'}`);
      return;
    }
    const index = this.variantIndex.get(variant);
    if (index === undefined) {
      this.bad(line, 'unknown variant', `unknown variant ${JSON.stringify(variant)} (expected ${this.options.variants.join(', ')})`);
      return;
    }
    const version = typeof configVersion === 'string' || typeof configVersion === 'number' ? String(configVersion) : '(none)';
    const count = this.configVersions.get(version);
    if (count !== undefined) this.configVersions.set(version, count + 1);
    else if (this.configVersions.size < MAX_CONFIG_VERSIONS) this.configVersions.set(detachedCopy(version), 1);
    else this.configVersions.set('(others)', (this.configVersions.get('(others)') ?? 0) + 1);
    if (this.options.configVersion !== undefined && version !== this.options.configVersion) {
      this.otherVersionExposures++;
      return;
    }
    this.exposures[index]!++;
    this.units.expose(this.units.row(event.unit), index, event.time);
    this.seen(event.time);
  }

  private addDuration(event: ExportEvent, field: string, value: number): void {
    // Attributed as the lines stream: the unit must already be exposed, to exactly one variant,
    // no later than the event. Exports in time order meet that for every event that counts.
    const row = this.units.find(event.unit);
    const variant = row === undefined ? -1 : this.units.variantOf(row);
    if (variant < 0 || event.time < this.units.firstExposure[row!]!) {
      this.unattributedDurations++;
      return;
    }
    let series = this.durations.get(event.name);
    if (series === undefined) {
      if (this.durations.size >= MAX_DURATION_EVENTS) {
        this.droppedDurations++;
        return;
      }
      series = { field, byVariant: this.options.variants.map(() => new QuantileSketch()) };
      this.durations.set(detachedCopy(event.name), series);
    }
    series.byVariant[variant]!.add(value);
  }
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
