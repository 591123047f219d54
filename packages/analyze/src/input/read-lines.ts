import { isAscii } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/**
 * Bytes per read. Every chunk is a fresh allocation freed only by a later garbage collection, so
 * large chunks pile up: 1 MiB chunks cost about 80 MB more peak memory than 64 KiB ones, for no
 * measurable speed.
 */
export const READ_CHUNK_BYTES = 1 << 16;

/** Longest line kept, in bytes; longer ones are reported and skipped so memory stays bounded. */
export const MAX_LINE_BYTES = 1 << 20;

/** What {@link readLines} calls back. */
export interface LineHandlers {
  /** Every line, without its `\n` or `\r\n`, numbered from 1. */
  line(text: string, lineNumber: number): void;
  /** A line longer than {@link MAX_LINE_BYTES}, skipped. */
  tooLong?(lineNumber: number): void;
}

/** What {@link readLineBlocks} calls back. */
export interface LineBlockHandlers {
  /**
   * A run of whole lines, each ending in `\n` (a `\r` before it belongs to the line end), except
   * that the last block of the input may end without one. `firstLine` is the number of its first
   * line (from 1). Returns how many lines the block held. `bytes` may be reused once it returns.
   */
  block(bytes: Buffer, firstLine: number): number;
  /** A line longer than {@link MAX_LINE_BYTES}, skipped. */
  tooLong?(lineNumber: number): void;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Resolves with the first bytes the stream has (put back for the reader), or an empty buffer at its end. */
function peek(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onReadable = () => {
      const chunk = stream.read() as Buffer | string | null;
      if (chunk === null) return;
      cleanup();
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stream.unshift(bytes);
      resolve(bytes);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/**
 * Splits a byte stream into lines and hands each to `handlers.line`, synchronously, in order.
 * Gzip is detected by its magic bytes, whatever the file is called. Memory stays at about one
 * chunk plus one line. Resolves with the number of lines.
 *
 * Lines are cut on the bytes (a newline byte never occurs inside a UTF-8 character), so each run
 * of whole lines decodes in one call, as Latin-1 when it is all ASCII: several times faster than
 * a streaming UTF-8 decoder.
 *
 * @example
 * ```ts
 * await readLines(createReadStream('events.jsonl.gz'), { line: (text, n) => console.log(n, text) });
 * ```
 */
export function readLines(source: Readable | AsyncIterable<Buffer>, handlers: LineHandlers): Promise<number> {
  const blockHandlers: LineBlockHandlers = {
    block(bytes, firstLine) {
      const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
      let lineNumber = firstLine;
      let start = 0;
      while (start < text.length) {
        let newline = text.indexOf('\n', start);
        if (newline === -1) newline = text.length;
        const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        handlers.line(text.slice(start, end), lineNumber++);
        start = newline + 1;
      }
      return lineNumber - firstLine;
    },
  };
  if (handlers.tooLong !== undefined) blockHandlers.tooLong = handlers.tooLong;
  return readLineBlocks(source, blockHandlers);
}

/**
 * {@link readLines} a block of whole lines at a time, as bytes: for callers that split and decode
 * lines themselves, and so look at most lines without making a string of each. Gzip is detected
 * by its magic bytes (streams only; give {@link fileChunks} plain files). Resolves with the
 * number of lines.
 *
 * @example
 * ```ts
 * await readLineBlocks(fileChunks('events.jsonl'), { block: (bytes) => countNewlines(bytes) });
 * ```
 */
export async function readLineBlocks(source: Readable | AsyncIterable<Buffer>, handlers: LineBlockHandlers): Promise<number> {
  /** Bytes of an unfinished line from earlier chunks. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  let skippingLongLine = false;

  const emit = (bytes: Buffer) => {
    lineNumber += handlers.block(bytes, lineNumber + 1);
  };

  const take = (chunk: Buffer) => {
    let from = 0;
    if (skippingLongLine) {
      const newline = chunk.indexOf(10);
      if (newline === -1) return;
      skippingLongLine = false;
      from = newline + 1;
    }
    const first = chunk.indexOf(10, from);
    if (first === -1) {
      // Copied: the source may reuse the chunk's memory.
      pending.push(Buffer.from(chunk.subarray(from)));
      pendingBytes += chunk.length - from;
      if (pendingBytes > MAX_LINE_BYTES) {
        handlers.tooLong?.(++lineNumber);
        pending = [];
        pendingBytes = 0;
        skippingLongLine = true;
      }
      return;
    }
    if (pendingBytes > 0 && pendingBytes + first - from > MAX_LINE_BYTES) {
      // The unfinished line ran past the limit; it ends at this newline.
      handlers.tooLong?.(++lineNumber);
      pending = [];
      pendingBytes = 0;
      from = first + 1;
    }
    if (pending.length > 0 && from <= first) {
      // The line begun in earlier chunks, on its own so the rest of the chunk is not copied.
      emit(Buffer.concat([...pending, chunk.subarray(from, first + 1)]));
      from = first + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= from) emit(chunk.subarray(from, last + 1));
    pending = last + 1 < chunk.length ? [Buffer.from(chunk.subarray(last + 1))] : [];
    pendingBytes = chunk.length - last - 1;
  };

  const consume = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) take(chunk);
    if (!skippingLongLine && pendingBytes > 0) emit(Buffer.concat(pending));
  };

  if (!isReadable(source)) {
    await consume(source);
    return lineNumber;
  }
  const head = await peek(source);
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  if (gzip) await pipeline(source, createGunzip({ chunkSize: READ_CHUNK_BYTES }), consume);
  else await pipeline(source, consume);
  return lineNumber;
}

const isReadable = (source: Readable | AsyncIterable<Buffer>): source is Readable => typeof (source as Readable).pipe === 'function';

/** Chunks read between two turns of the event loop (1 MiB), so timers and a progress bar still run. */
const CHUNKS_PER_TURN = 16;

/**
 * A plain file's bytes, {@link READ_CHUNK_BYTES} at a time, into one reused buffer. Reads are
 * synchronous: from the page cache that is a copy, and a third of the CPU time of an
 * asynchronous read with its thread hand-offs and promises. The event loop gets a turn every
 * 1 MiB. Each chunk is valid until the next is asked for. Closes the file at the end, or when
 * the loop stops early.
 *
 * @example
 * ```ts
 * for await (const chunk of new FileChunks(openSync('events.jsonl', 'r'))) total += chunk.length;
 * ```
 */
export class FileChunks implements AsyncIterable<Buffer> {
  /** Bytes handed out so far (for a progress bar). */
  bytesRead = 0;

  constructor(private readonly fd: number) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    try {
      for (let chunks = 1; ; chunks++) {
        const bytesRead = readSync(this.fd, buffer, 0, READ_CHUNK_BYTES, null);
        if (bytesRead === 0) return;
        this.bytesRead += bytesRead;
        yield buffer.subarray(0, bytesRead);
        if (chunks % CHUNKS_PER_TURN === 0) await new Promise(setImmediate);
      }
    } finally {
      closeSync(this.fd);
    }
  }
}

/**
 * Opens an export file for {@link readLineBlocks}: a plain file as {@link FileChunks}, a gzip file
 * (detected from its first bytes) as a read stream. Either has `bytesRead`, for a progress bar.
 *
 * @example
 * ```ts
 * const lines = await readLineBlocks(await openExportFile('events.jsonl.gz'), handlers);
 * ```
 */
export async function openExportFile(path: string): Promise<(FileChunks | Readable) & { readonly bytesRead: number }> {
  const fd = openSync(path, 'r');
  let gzip: boolean;
  try {
    const head = Buffer.alloc(2);
    gzip = readSync(fd, head, 0, 2, 0) === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!gzip) return new FileChunks(fd);
  closeSync(fd);
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
}
