// Where a monitor's events come from: each look reads only what arrived since the cursor it was
// given and returns where it stopped. Opened from what `--events` says.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDirectorySource } from './source-directory.js';
import { createFileSource } from './source-file.js';
import { createGzipSource } from './source-gzip.js';
import { createPostgresEventSource } from './source-postgres.js';
import type { EventCursor } from './types.js';

/**
 * What a source feeds: export lines (JSON text) or events already parsed (database rows).
 *
 * @example
 * ```ts
 * const sink: EventSink = { line: (text) => lines.push(text), value: (row) => rows.push(row) };
 * ```
 */
export interface EventSink {
  line(text: string): void;
  value(value: unknown): void;
}

/**
 * The events of one look. `read` throws {@link SourceError} when the source cannot be read; the
 * look then decides nothing from it (HOLD) and the next look starts again from the same cursor.
 *
 * @example
 * ```ts
 * const source = await openEventSource('events.jsonl');
 * const { cursor, bytes } = await source.read(null, { line: (text) => console.log(text), value: console.log });
 * ```
 */
export interface EventSource {
  /** e.g. `file /var/log/events.jsonl`. */
  readonly description: string;
  /** `late`: events found to have arrived behind the read position since the last look, which were not read (a table's late rows). */
  read(cursor: EventCursor | null, sink: EventSink): Promise<{ readonly cursor: EventCursor; readonly bytes: number; readonly late?: number }>;
  close(): Promise<void>;
}

/**
 * An event source that cannot be read this look, and why. Never a PROCEED: the monitor holds.
 *
 * @example
 * ```ts
 * throw new SourceError('file /var/log/events.jsonl is shorter (10 bytes) than the 2,048 already read: it was truncated or replaced');
 * ```
 */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** The saved read position when it is this kind of source's; null for none; another source's is refused. */
export function cursorOfKind<K extends EventCursor['kind']>(cursor: EventCursor | null, kind: K, what: string): Extract<EventCursor, { kind: K }> | null {
  if (cursor === null) return null;
  if (cursor.kind !== kind) throw new SourceError(`the saved read position is for a ${cursor.kind} source, not the ${what}`);
  return cursor as Extract<EventCursor, { kind: K }>;
}

/** Bytes read per system call. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Splits chunks of UTF-8 into lines, keeping a partial last line for the next chunk. `consumed`
 * counts the bytes of the whole lines given out, so a cursor never points into a line.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  consumed = 0;

  constructor(private readonly sink: EventSink) {}

  push(chunk: Buffer): void {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let start = 0;
    for (let newline = data.indexOf(10, start); newline !== -1; newline = data.indexOf(10, start)) {
      this.sink.line(data.toString('utf8', start, newline));
      this.consumed += newline + 1 - start;
      start = newline + 1;
    }
    this.pending = Buffer.from(data.subarray(start));
  }
}

/**
 * Opens what `--events` names: a `postgres://` URL (`?table=schema.table`), a directory of hourly
 * files, a `.gz` file, or any other file as a growing JSONL export.
 *
 * @example
 * ```ts
 * const source = await openEventSource('postgres://localhost/app?table=bucketry.events');
 * ```
 */
export async function openEventSource(spec: string, cwd: string = process.cwd()): Promise<EventSource> {
  if (/^postgres(ql)?:\/\//.test(spec)) return createPostgresEventSource(spec);
  const path = resolve(cwd, spec);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return createDirectorySource(path);
  if (path.endsWith('.gz')) return createGzipSource(path);
  return createFileSource(path);
}
