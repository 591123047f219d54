import { EXPOSURE_EVENT } from '@bucketry/core';
import { AMPLITUDE_EXPOSURE_EVENT, DURATION_FIELDS, propertyPath, readExportEventInto, type ExportEvent } from '../input/export-event.js';
import type { ClassifierOptions } from './classify.js';
import { Count, RecordKind, type LineRecords } from './line-records.js';
import { addSegmentValues } from './segment-value.js';

/**
 * The general path of the classifier: the records of a line JSON.parse read, through
 * readExportEventInto. Any line the scanner's fast path declines comes here, and every line when
 * the classifier is told not to scan (the reference the fast path is tested against).
 *
 * @example
 * ```ts
 * const reader = new ParsedLineReader(resolveOptions({ experiment: 'skill_tree_layout', variants: ['tree', 'list'] }));
 * if (reader.read(JSON.parse(line), 0, records)) reader.event.id; // the event's id, if it has one
 * ```
 */
export class ParsedLineReader {
  private readonly variantIndex: Map<string, number>;
  private readonly metricIndex: Map<string, number>;
  /** The event of the line last read; reused for every line, so reading one allocates nothing beyond what JSON.parse does. */
  readonly event = {} as ExportEvent;

  constructor(private readonly options: ClassifierOptions) {
    this.variantIndex = new Map(options.variants.map((v, i) => [v, i]));
    this.metricIndex = new Map(options.trackedEvents.map((m, i) => [m, i]));
  }

  /** Adds the records of the parsed line `value`; false when it is no event (a bad line, recorded as such). */
  read(value: unknown, line: number, records: LineRecords): boolean {
    const event = this.event;
    const problem = readExportEventInto(value, event);
    if (problem !== undefined) {
      records.addBad(line, problem.category, problem.message);
      return false;
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
      return true;
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
      records.addBad(line, 'bad duration', `${propertyPath(event.flavor, DURATION_FIELDS[field]!)} is ${JSON.stringify(duration)}, must be a number >= 0 (milliseconds)`);
      return true;
    }
    const series = this.options.valueSeries;
    for (let s = 0; s < series.length; s++) {
      const property = series[s]!.property;
      if (series[s]!.event !== event.name || property === undefined) continue;
      const value = Object.hasOwn(p, property) ? p[property] : undefined;
      if (value !== undefined && value !== null && !(typeof value === 'number' && Number.isFinite(value))) {
        records.addBad(line, 'bad value', `${propertyPath(event.flavor, property)} is ${JSON.stringify(value)}, must be a number`);
        return true;
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
    return true;
  }

  /** The index of the variant an exposure to this experiment is to; -1 (and a record) otherwise. */
  private exposedVariant(event: ExportEvent, experiment: unknown, variant: unknown, line: number, records: LineRecords): number {
    const at = (name: string) => propertyPath(event.flavor, name);
    if (typeof experiment !== 'string' || experiment.length === 0) {
      records.addBad(line, 'missing experiment', `exposure without an experiment: ${at(event.name === AMPLITUDE_EXPOSURE_EVENT ? 'flag_key' : 'experiment')} is ${JSON.stringify(experiment) ?? 'missing'}`);
      return -1;
    }
    if (experiment !== this.options.experiment) {
      records.add(RecordKind.OtherExperiment, line, records.string(experiment), 0, event.time, 0);
      return -1;
    }
    if (typeof variant !== 'string' || variant.length === 0) {
      records.addBad(line, 'missing variant', `exposure without a variant: ${at('variant')} is ${JSON.stringify(variant) ?? 'missing'}`);
      return -1;
    }
    const index = this.variantIndex.get(variant);
    if (index === undefined) {
      records.addBad(line, 'unknown variant', `unknown variant ${JSON.stringify(variant)} (expected ${this.options.variants.join(', ')})`);
      return -1;
    }
    return index;
  }
}
