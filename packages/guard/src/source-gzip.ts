// A gzip export that grows (gzip members appended, or one stream still being written). Gzip cannot
// be entered in the middle, so each look decompresses from the start and skips the bytes of lines
// already read (the cursor is a position in the decompressed text). Reading costs the whole file
// each look: for large exports that grow, write plain JSONL or hourly files.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { fileIdentity } from './source-file.js';
import { cursorOfKind, LineSplitter, SourceError, type EventSink, type EventSource } from './source.js';
import type { EventCursor } from './types.js';

/** Decompresses `path` and gives out whole lines after `skip` decompressed bytes; returns the decompressed bytes given out in all. */
export function readGzipLines(path: string, skip: number, sink: EventSink, allowUnfinished: boolean): Promise<{ end: number; compressed: number }> {
  return new Promise((resolvePromise, reject) => {
    let compressed = 0;
    // consumed is the decompressed position where the line being given out starts.
    const splitter: LineSplitter = new LineSplitter({
      line(text) {
        if (splitter.consumed >= skip) sink.line(text);
      },
      value: sink.value,
    });
    const input = createReadStream(path);
    const gunzip = createGunzip();
    input.on('data', (chunk) => (compressed += chunk.length));
    gunzip.on('data', (chunk: Buffer) => splitter.push(chunk));
    const finish = () => {
      if (splitter.consumed < skip) reject(new SourceError(`gzip events file ${path} holds ${splitter.consumed} bytes of whole lines, fewer than the ${skip} already read: it was replaced; nothing read`));
      else resolvePromise({ end: splitter.consumed, compressed });
    };
    gunzip.on('end', finish);
    gunzip.on('error', (error: NodeJS.ErrnoException) => {
      // A stream still being written ends in the middle of a block: what came before is sound.
      if (allowUnfinished && error.code === 'Z_BUF_ERROR') finish();
      else reject(new SourceError(`gzip events file ${path} cannot be decompressed: ${error.message}`));
    });
    input.on('error', (error) => reject(new SourceError(`gzip events file ${path} cannot be read: ${error.message}`)));
    input.pipe(gunzip);
  });
}

/**
 * A gzip JSONL export that may grow, re-read from its start each look with only the lines past the
 * saved decompressed position counted. A stream cut off mid-block (still being written) gives its
 * whole lines so far; anything else that does not decompress fails the look.
 *
 * @example
 * ```ts
 * const source = createGzipSource('/exports/events.jsonl.gz');
 * ```
 */
export function createGzipSource(path: string): EventSource {
  return {
    description: `gzip file ${path}`,
    async read(cursor: EventCursor | null, sink: EventSink) {
      const { identity } = await fileIdentity(path, 'gzip events file');
      const from = cursorOfKind(cursor, 'gzip', `gzip file ${path}`);
      if (from !== null && from.identity !== identity) throw new SourceError(`gzip events file ${path} is another file than the one read up to decompressed byte ${from.decompressedOffset}; nothing read`);
      const skip = from?.decompressedOffset ?? 0;
      const { end, compressed } = await readGzipLines(path, skip, sink, true);
      return { cursor: { kind: 'gzip', path, decompressedOffset: end, identity }, bytes: compressed };
    },
    async close() {},
  };
}
