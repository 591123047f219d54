// A line of an export (or a row already parsed) as an event, the monitor's, the baseline's and the
// daily report's alike: what is not one is counted, never dropped unseen.
import { readExportEvent, type ExportEvent } from '@bucketry/analyze';

/** What the readers below count. */
export interface LineCounts {
  lines: number;
  badLines: number;
}

/** A parsed line or row as an event; undefined, counted as a bad line, when it is not one. */
export function eventOfValue(value: unknown, counts: LineCounts): ExportEvent | undefined {
  const event = readExportEvent(value);
  if (!('category' in event)) return event;
  counts.badLines++;
  return undefined;
}

/** One line of an export (JSON text) as an event. Blank lines are skipped uncounted; the rest count as lines, and as bad lines when they are not JSON or not an event. */
export function eventOfLine(text: string, counts: LineCounts): ExportEvent | undefined {
  if (text.trim() === '') return undefined;
  counts.lines++;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    counts.badLines++;
    return undefined;
  }
  return eventOfValue(value, counts);
}
