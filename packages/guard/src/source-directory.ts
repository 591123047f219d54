// A directory of hourly (or daily) export files, read in name order: every file but the newest is
// complete once a newer one exists and is read to its end; the newest may still grow and is read
// like a growing file. The cursor lists the files finished and the offset in the current one.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLinesBetween } from './source-file.js';
import { readGzipLines } from './source-gzip.js';
import { cursorOfKind, SourceError, type EventSink, type EventSource } from './source.js';
import type { EventCursor } from './types.js';

/** A finished file's last line may lack its newline: given out when a newer file shows it is complete. */
async function readFinishedTail(path: string, from: number, size: number, sink: EventSink): Promise<void> {
  if (from >= size) return;
  const handle = await open(path, 'r');
  try {
    const tail = Buffer.alloc(size - from);
    await handle.read(tail, 0, tail.length, from);
    sink.line(tail.toString('utf8'));
  } finally {
    await handle.close();
  }
}

/**
 * Hourly files in a directory (`2026-12-07T13.jsonl`, `…T14.jsonl.gz`), read in name order; names
 * starting with `.` are ignored. A `.gz` file is read once it decompresses to its end (still being
 * written, the newest waits). A file that disappears before it was finished fails the look.
 *
 * @example
 * ```ts
 * const source = createDirectorySource('/var/log/bucketry/hourly');
 * ```
 */
export function createDirectorySource(path: string): EventSource {
  return {
    description: `directory ${path}`,
    async read(cursor: EventCursor | null, sink: EventSink) {
      const from = cursorOfKind(cursor, 'directory', `directory ${path}`);
      const entries = await readdir(path, { withFileTypes: true }).catch((error: Error) => {
        throw new SourceError(`events directory ${path} cannot be read: ${error.message}`);
      });
      const files = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
      const finished = new Set((from?.finished ?? []).filter((name) => files.includes(name)));
      let current = from?.current ?? null;
      let offset = from?.offset ?? 0;
      if (current !== null && !files.includes(current)) throw new SourceError(`events file ${join(path, current)} disappeared after ${offset} bytes were read and before it was finished; nothing read`);
      let bytes = 0;
      for (const [i, name] of files.entries()) {
        if (finished.has(name)) continue;
        const file = join(path, name);
        const newest = i === files.length - 1;
        if (name.endsWith('.gz')) {
          try {
            bytes += (await readGzipLines(file, 0, sink, false)).compressed;
          } catch (error) {
            if (newest) break; // still being written: next look
            throw error;
          }
          finished.add(name);
          continue;
        }
        const start = name === current ? offset : 0;
        const { size } = await stat(file);
        const read = await readLinesBetween(file, start, size, sink);
        bytes += read;
        if (newest) {
          current = name;
          offset = start + read;
        } else {
          await readFinishedTail(file, start + read, size, sink);
          bytes += size - start - read;
          finished.add(name);
          if (current === name) {
            current = null;
            offset = 0;
          }
        }
      }
      return { cursor: { kind: 'directory', path, finished: [...finished].sort(), current, offset }, bytes };
    },
    async close() {},
  };
}
