// A JSONL export that grows: each look reads from the byte after the last whole line it read to
// the end of the file as it is now. A file that shrank or was replaced is refused, not guessed at.
import { open, stat } from 'node:fs/promises';
import { CHUNK_BYTES, cursorOfKind, LineSplitter, SourceError, type EventSink, type EventSource } from './source.js';
import type { EventCursor } from './types.js';

/** device:inode, to tell the same file from one put in its place. */
export async function fileIdentity(path: string, what: string): Promise<{ identity: string; size: number }> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new SourceError(`${what} ${path} cannot be read: ${error.code === 'ENOENT' ? 'it does not exist (yet)' : error.message}`);
  });
  if (!info.isFile()) throw new SourceError(`${what} ${path} is not a file`);
  return { identity: `${info.dev}:${info.ino}`, size: info.size };
}

/** Reads whole lines of `path` from `offset` up to `end` (its size now); returns the bytes of the lines given out. A file shorter than what was read is refused. */
export async function readLinesBetween(path: string, offset: number, end: number, sink: EventSink): Promise<number> {
  if (end < offset) throw new SourceError(`events file ${path} has ${end} bytes, fewer than the ${offset} already read: it was truncated; nothing read`);
  const handle = await open(path, 'r');
  try {
    const splitter = new LineSplitter(sink);
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(1, end - offset)));
    for (let position = offset; position < end; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytesRead === 0) break;
      splitter.push(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return splitter.consumed;
  } finally {
    await handle.close();
  }
}

/**
 * A growing JSONL (or NDJSON) export, tracked by byte position: a look reads only the lines
 * appended since the last, and a partial last line waits for the next look. A file that is
 * shorter than what was read, or another file at the same path (log rotation), makes the look
 * fail with a clear message rather than silently re-count or skip events; rotate into a directory
 * and use the directory source instead.
 *
 * @example
 * ```ts
 * const source = createFileSource('/var/log/bucketry/events.jsonl');
 * ```
 */
export function createFileSource(path: string): EventSource {
  return {
    description: `file ${path}`,
    async read(cursor: EventCursor | null, sink: EventSink) {
      const { identity, size } = await fileIdentity(path, 'events file');
      const from = cursorOfKind(cursor, 'file', `file ${path}`);
      if (from !== null && from.identity !== identity) {
        throw new SourceError(`events file ${path} is another file than the one read up to byte ${from.offset} (it was replaced or rotated); nothing read`);
      }
      const offset = from?.offset ?? 0;
      const bytes = await readLinesBetween(path, offset, size, sink);
      return { cursor: { kind: 'file', path, offset: offset + bytes, identity }, bytes };
    },
    async close() {},
  };
}
