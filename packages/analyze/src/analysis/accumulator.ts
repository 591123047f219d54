import { EXPOSURE_EVENT } from '@bucketry/core';
import { AMPLITUDE_EXPOSURE_EVENT, propertyPath, readExportEventInto, type ExportEvent } from '../input/export-event.js';
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
 * accumulator.addLine('{"event":"experiment_exposure","userId":"u1",...}', 1);
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
  private readonly mentionsAnythingUsed: RegExp;
  /** Reused for every line, so reading one allocates nothing beyond what JSON.parse does. */
  private readonly event = {} as ExportEvent;

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
    // expression scans a line several times faster than one String#includes per name.
    const names = [EXPOSURE_EVENT, AMPLITUDE_EXPOSURE_EVENT, ...options.trackedEvents, ...DURATION_FIELDS];
    this.mentionsAnythingUsed = new RegExp(names.map((name) => escapeRegExp(JSON.stringify(name))).join('|'));
  }

  /** Records a bad line: counted, kept as an example while there is room, passed to the listener. */
  bad(line: number, category: string, reason: string): void {
    this.badLineCount++;
    this.badLinesByCategory.set(category, (this.badLinesByCategory.get(category) ?? 0) + 1);
    if (this.badLineExamples.length < this.options.maxBadLineExamples) this.badLineExamples.push({ line, reason });
    this.onBadLine?.(line, reason);
  }

  /** A line too long to keep (see readLines). */
  tooLong(line: number): void {
    this.lines++;
    this.bad(line, 'line too long', 'line too long (over 1 MiB), skipped');
  }

  addLine(text: string, line: number): void {
    this.lines++;
    if (isBlank(text)) {
      this.blankLines++;
      return;
    }
    if (!this.options.strict && !this.mentionsAnythingUsed.test(text)) {
      if (looksLikeObject(text)) this.unrelatedLines++;
      else this.bad(line, 'not JSON', 'not JSON (not a {...} object)');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.bad(line, 'not JSON', `not JSON (${(error as Error).message})`);
      return;
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
      if (this.otherExperiments.size < 20) this.otherExperiments.add(experiment);
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
    const key = this.configVersions.has(version) || this.configVersions.size < MAX_CONFIG_VERSIONS ? version : '(others)';
    this.configVersions.set(key, (this.configVersions.get(key) ?? 0) + 1);
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
      this.durations.set(event.name, series);
    }
    series.byVariant[variant]!.add(value);
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function looksLikeObject(text: string): boolean {
  let start = 0;
  let end = text.length - 1;
  while (text.charCodeAt(start) <= 32) start++;
  while (text.charCodeAt(end) <= 32) end--;
  return text.charCodeAt(start) === 123 /* { */ && text.charCodeAt(end) === 125 /* } */;
}
