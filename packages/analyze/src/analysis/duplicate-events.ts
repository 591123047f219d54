import { EventIdSet } from './event-id-set.js';
import { RecordKind, type LineRecords } from './line-records.js';

/**
 * Tells which records to ignore because their event was counted already: an exposure, metric
 * event, duration or value whose event id (`eventId`, Segment's `messageId`, Amplitude's
 * `insert_id` or `$insert_id`) came before, on any line, in any block, whichever thread
 * classified it. A collector that retries a batch, or an export written twice, then doubles
 * nothing. The first one counts. Events without an id are counted and all kept; bad lines and
 * exposures to other experiments are never checked (so their ids take no memory).
 *
 * @example
 * ```ts
 * const duplicates = new DuplicateEvents();
 * duplicates.nextBlock();
 * for (let r = 0; r < records.count; r++) if (!duplicates.skips(records, r)) apply(records, r);
 * ```
 */
export class DuplicateEvents {
  readonly ids = new EventIdSet();
  /** Events ignored: their id had been counted already. */
  duplicates = 0;
  /** Events without an id, which cannot be told from a copy: counted, and kept. */
  withoutId = 0;
  /** The line (in the block) of the last record checked, and whether its event was a duplicate: a line's records go together. */
  private line = -1;
  private duplicate = false;

  /** The records of another block follow (their lines are numbered from 0 again). */
  nextBlock(): void {
    this.line = -1;
  }

  /** Whether record r is of an event counted already. Call it for every record of a block, in order. */
  skips(records: LineRecords, r: number): boolean {
    const kind = records.kind(r);
    if (kind === RecordKind.Bad || kind === RecordKind.OtherExperiment) return false;
    const line = records.line(r);
    if (line === this.line) return this.duplicate;
    this.line = line;
    if (!records.hasEventId(r)) {
      this.withoutId++;
      return (this.duplicate = false);
    }
    this.duplicate = !this.ids.add(records.eventIdA(r), records.eventIdB(r));
    if (this.duplicate) this.duplicates++;
    return this.duplicate;
  }
}
