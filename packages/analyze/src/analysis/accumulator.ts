import { detachedCopy } from './detached-copy.js';
import { DuplicateEvents } from './duplicate-events.js';
import { DurationTally } from './duration-tally.js';
import { Count, LineRecords, RecordKind } from './line-records.js';
import type { ResolvedOptions } from './options.js';
import { UnitTable } from './unit-table.js';
import { CupedCovariates } from './cuped-covariates.js';
import { SegmentTable } from './segment-table.js';
import { UnitValues } from './unit-values.js';

/** Distinct config versions counted one by one; the rest are pooled so memory stays bounded. */
export const MAX_CONFIG_VERSIONS = 100;
/** Other experiments' keys kept as examples (all their exposures are counted). */
export const MAX_OTHER_EXPERIMENTS = 20;

/** A skipped line, as reported. */
export interface BadLineExample {
  readonly line: number;
  readonly reason: string;
}

/** Called for every bad line, e.g. to print it as it is found. */
export type BadLineListener = (line: number, reason: string) => void;

/**
 * Gathers what the lines of an export say ({@link LineRecords} from the classifier, block after
 * block, in order) into counts and per-unit state; the report is built from it at the end
 * ({@link buildReport}). Memory grows with distinct units only (see {@link UnitTable}).
 *
 * @example
 * ```ts
 * const options = resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
 * const accumulator = new ExportAccumulator(options);
 * const records = new LineRecords();
 * new LineClassifier(options).classify(Buffer.from('{"event":"experiment_exposure","userId":"u1",...}\n'), records);
 * accumulator.apply(records);
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
  /** Durations as attributed to units and variants. */
  readonly durations: DurationTally;
  /** Per unit, per value series (options.valueSeries): the sum and count of the unit's values. */
  readonly unitValues = new UnitValues();
  /** Values read per series, attributed or not. */
  readonly valueCounts: number[];
  /** Values of units not (yet) exposed, in several variants, or from before exposure. */
  unattributedValues = 0;
  readonly flavors = { segment: 0, amplitude: 0, bucketry: 0 };
  /** Events per tracked name (`options.trackedEvents`), exposed units or not. */
  readonly trackedEventCounts: number[];
  /** Per unit, each segment property's value (with `segments`). */
  readonly segments: SegmentTable | undefined;
  /** CUPED's pre-period covariates per unit (with `cupedWindowMs`). */
  readonly covariates: CupedCovariates | undefined;
  /** Events ignored because their event id was counted already, and events without an id. */
  readonly duplicateEvents = new DuplicateEvents();
  /** The unit row of the last exposure read if it counted, else -1: the segment values that follow it are its. */
  private exposureRow = -1;

  constructor(
    readonly options: ResolvedOptions,
    private readonly onBadLine?: BadLineListener,
  ) {
    this.units = new UnitTable(options.trackedEvents.length);
    this.exposures = options.variants.map(() => 0);
    this.durations = new DurationTally(options.variants.length);
    this.trackedEventCounts = options.trackedEvents.map(() => 0);
    this.valueCounts = options.valueSeries.map(() => 0);
    for (let s = 0; s < options.valueSeries.length; s++) this.unitValues.addSeries();
    this.segments = options.segments.length > 0 ? new SegmentTable(options.segments.length) : undefined;
    this.covariates = options.cupedWindowMs === undefined ? undefined : new CupedCovariates(options, this.units);
  }

  /** Records a bad line: counted, kept as an example while there is room, passed to the listener. */
  bad(line: number, category: string, reason: string): void {
    this.badLineCount++;
    this.badLinesByCategory.set(category, (this.badLinesByCategory.get(category) ?? 0) + 1);
    if (this.badLineExamples.length < this.options.maxBadLineExamples) this.badLineExamples.push({ line, reason: detachedCopy(reason) });
    this.onBadLine?.(line, reason);
  }

  /** The next line is too long to keep (see readLineBlocks). */
  tooLong(): void {
    this.bad(++this.lines, 'line too long', 'line too long (over 1 MiB), skipped');
  }

  /** Adds a block's line counts (LineRecords.counts, by {@link Count}); the SQL engines' fallback lines add theirs too. */
  addLineCounts(counts: LineRecords['counts']): void {
    this.lines += counts[Count.Lines]!;
    this.blankLines += counts[Count.BlankLines]!;
    this.unrelatedLines += counts[Count.UnrelatedLines]!;
    this.events += counts[Count.Events]!;
    this.flavors.segment += counts[Count.Segment]!;
    this.flavors.amplitude += counts[Count.Amplitude]!;
    this.flavors.bucketry += counts[Count.Bucketry]!;
  }

  /** Takes in the records of the next block of lines. */
  apply(records: LineRecords): void {
    const firstLine = this.lines + 1;
    this.addLineCounts(records.counts);
    const strings = records.strings;
    this.duplicateEvents.nextBlock();
    for (let r = 0; r < records.count; r++) {
      if (this.duplicateEvents.skips(records, r)) continue;
      switch (records.kind(r)) {
        case RecordKind.Bad:
          this.bad(firstLine + records.line(r), strings[records.a(r)]!, strings[records.b(r)]!);
          break;
        case RecordKind.Exposure:
          this.addExposure(records, r, strings[records.b(r)]!);
          break;
        case RecordKind.OtherExperiment: {
          this.otherExperimentExposures++;
          const experiment = strings[records.a(r)]!;
          if (this.otherExperiments.size < MAX_OTHER_EXPERIMENTS && !this.otherExperiments.has(experiment)) this.otherExperiments.add(detachedCopy(experiment));
          break;
        }
        case RecordKind.Metric: {
          const metric = records.a(r);
          const time = records.time(r);
          this.trackedEventCounts[metric]!++;
          const row = this.units.rowOfBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r));
          this.units.track(row, metric, time);
          this.covariates?.metric(row, metric, time);
          this.seen(time);
          break;
        }
        case RecordKind.SegmentValue:
          if (this.exposureRow >= 0) this.segments!.observe(records.a(r), this.exposureRow, records.b(r) < 0 ? undefined : strings[records.b(r)], records.time(r));
          break;
        case RecordKind.Duration:
          this.addDuration(records, r, strings[records.a(r)]!);
          break;
        case RecordKind.Value:
          this.addValue(records, r);
          break;
      }
    }
  }

  private seen(time: number): void {
    if (time < this.firstTime) this.firstTime = time;
    if (time > this.lastTime) this.lastTime = time;
  }

  private addExposure(records: LineRecords, r: number, version: string): void {
    const count = this.configVersions.get(version);
    if (count !== undefined) this.configVersions.set(version, count + 1);
    else if (this.configVersions.size < MAX_CONFIG_VERSIONS) this.configVersions.set(detachedCopy(version), 1);
    else this.configVersions.set('(others)', (this.configVersions.get('(others)') ?? 0) + 1);
    if (this.options.configVersion !== undefined && version !== this.options.configVersion) {
      this.otherVersionExposures++;
      this.exposureRow = -1;
      this.units.exposeInOtherVersion(this.units.rowOfBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r)));
      return;
    }
    const variant = records.a(r);
    const time = records.time(r);
    this.exposures[variant]!++;
    const row = (this.exposureRow = this.units.rowOfBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r)));
    this.covariates?.prePeriod.beforeExposure(row, time);
    this.units.expose(row, variant, time);
    this.seen(time);
  }

  /** The row of the unit of record r if it counts for a value at that time (exposed to one variant by then), else -1. */
  private attributedRow(records: LineRecords, r: number): number {
    const row = this.units.findBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r));
    return row >= 0 && this.units.variantOf(row) >= 0 && records.time(r) >= this.units.firstExposure[row]! ? row : -1;
  }

  private addValue(records: LineRecords, r: number): void {
    const series = records.a(r);
    this.valueCounts[series]!++;
    // Attributed as durations are: to a unit exposed to one variant no later than the event.
    const row = this.attributedRow(records, r);
    if (row < 0) {
      this.unattributedValues++;
      this.covariates?.value(series, () => this.units.rowOfBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r)), records.time(r), records.value(r));
    } else this.unitValues.add(series, row, records.value(r));
  }

  private addDuration(records: LineRecords, r: number, name: string): void {
    // Attributed as the lines stream: the unit must already be exposed, to exactly one variant,
    // no later than the event. Exports in time order meet that for every event that counts.
    const row = this.units.findBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r));
    const variant = row < 0 ? -1 : this.units.variantOf(row);
    if (variant < 0 || records.time(r) < this.units.firstExposure[row]!) {
      this.durations.countUnattributed(variant, row >= 0 && this.units.exposedInOtherVersion[row] === 1);
      if (variant !== -2) this.covariates?.duration(name, () => (row >= 0 ? row : this.units.rowOfBytes(records.unitBytes, records.unitStart(r), records.unitEnd(r))), records.time(r), records.value(r));
      return;
    }
    this.durations.add(name, records.b(r), variant, row, records.value(r), records.unitBytes, records.unitStart(r), records.unitEnd(r));
  }
}
