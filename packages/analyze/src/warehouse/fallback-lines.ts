import { readExportEvent } from '../input/export-event.js';
import type { ExportAccumulator } from '../analysis/accumulator.js';
import { LineClassifier } from '../analysis/classify.js';
import { LineRecords, RecordKind } from '../analysis/line-records.js';
import type { ResolvedOptions } from '../analysis/options.js';
import { UnsupportedBySqlError } from './unsupported.js';

/** An event the streaming classifier read from a line SQL left to it, in the columns of the classified lines. */
export interface FallbackEvent {
  line_no: number;
  kind: 'exposure' | 'other_experiment' | 'metric' | 'none';
  unit: string | null;
  time_ms: number;
  variant: number | null;
  version: string | null;
  experiment: string | null;
  metric: number | null;
  event_id: string | null;
  name: string | null;
  duration_field: number | null;
  duration: number | null;
}

const NAMES_OF_UNSUPPORTED: Partial<Record<RecordKind, string>> = {
  [RecordKind.Value]: 'values',
  [RecordKind.SegmentValue]: 'segments',
};

/**
 * Reads the lines SQL leaves to the streaming classifier (bad lines above all) with that very
 * classifier (the JSON.parse reference path), so bad lines get the same reasons and line numbers
 * as in the streaming engine: their counts and bad lines go straight into the accumulator, their
 * events are returned for the SQL tally. Called with the lines in order.
 *
 * @example
 * ```ts
 * const fallback = new FallbackLines(options, accumulator);
 * const event = fallback.read(17, '{"event":"experiment_exposure"}');
 * ```
 */
export class FallbackLines {
  private readonly classifier: LineClassifier;
  private readonly records = new LineRecords();
  private readonly decoder = new TextDecoder();

  constructor(
    options: ResolvedOptions,
    private readonly accumulator: ExportAccumulator,
  ) {
    this.classifier = new LineClassifier(options, false);
  }

  /** The event of line `lineNo` (numbered from 1), if it has one. */
  read(lineNo: number, line: string): FallbackEvent | undefined {
    const records = this.records;
    records.clear();
    this.classifier.classify(Buffer.from(line + '\n', 'utf8'), records);
    const acc = this.accumulator;
    acc.addLineCounts(records.counts);
    let id: string | null | undefined;
    const eventId = (): string | null => {
      if (id === undefined) {
        const event = readExportEvent(JSON.parse(line));
        id = 'category' in event ? null : (event.id ?? null);
      }
      return id;
    };
    // A line's records (an exposure; another experiment's exposure; a tracked event and/or a duration) make one row.
    let event: FallbackEvent | undefined;
    for (let r = 0; r < records.count; r++) {
      const kind = records.kind(r);
      const strings = records.strings;
      if (kind === RecordKind.Bad) {
        acc.bad(lineNo, strings[records.a(r)]!, strings[records.b(r)]!);
        continue;
      }
      event ??= { line_no: lineNo, kind: 'none', unit: null, time_ms: records.time(r), variant: null, version: null, experiment: null, metric: null, event_id: null, name: null, duration_field: null, duration: null };
      if (kind === RecordKind.OtherExperiment) {
        event.kind = 'other_experiment';
        event.experiment = strings[records.a(r)]!;
        continue;
      }
      event.unit = this.decoder.decode(records.unitBytes.subarray(records.unitStart(r), records.unitEnd(r)));
      event.event_id = eventId();
      if (kind === RecordKind.Exposure) Object.assign(event, { kind: 'exposure', variant: records.a(r), version: strings[records.b(r)]! });
      else if (kind === RecordKind.Metric) Object.assign(event, { kind: 'metric', metric: records.a(r) });
      else if (kind === RecordKind.Duration) Object.assign(event, { name: strings[records.a(r)]!, duration_field: records.b(r), duration: records.value(r) });
      else throw new UnsupportedBySqlError(`line ${lineNo} has ${NAMES_OF_UNSUPPORTED[kind] ?? 'records'}, which the SQL engines do not tally yet`);
    }
    return event;
  }
}
