import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { checkTextEncoding, ENCODING_HEAD_BYTES } from './text-encoding.js';

/**
 * Bytes per read. Every chunk is a fresh allocation freed only by a later garbage collection, so
 * large chunks pile up: 1 MiB chunks cost about 80 MB more peak memory than 64 KiB ones, for no
 * measurable speed.
 */
export const READ_CHUNK_BYTES = 1 << 16;

/** Longest line kept, in bytes; longer ones are reported and skipped so memory stays bounded. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * What {@link readLines} calls back.
 *
 * @example
 * ```ts
 * const handlers: LineHandlers = { line: (text, n) => console.log(n, text), tooLong: (n) => console.warn(`line ${n} skipped`) };
 * ```
 */
export interface LineHandlers {
  /** Every line, without its `\n` or `\r\n`, numbered from 1. */
  line(text: string, lineNumber: number): void;
  /** A line longer than {@link MAX_LINE_BYTES}, skipped. */
  tooLong?(lineNumber: number): void;
}

/** What {@link readLineBlocks} calls back, in the order of the input. */
export interface LineBlockHandlers {
  /**
   * A run of whole lines, each ending in `\n` (a `\r` before it belongs to the line end), except
   * that the last block of the input may end without one. `bytes` may be reused once it returns,
   * or once the promise it returns settles (reading waits for it).
   */
  block(bytes: Buffer): void | Promise<void>;
  /** The next line is longer than {@link MAX_LINE_BYTES}, and skipped. */
  tooLong?(): void;
}

/** Whether the bytes begin as gzip does (1f 8b), whatever the file is called. */
export const startsWithGzipMagic = (head: Uint8Array): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

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
 * chunk plus one line. Resolves with the number of lines. A UTF-8 byte order mark at the start
 * is skipped; UTF-16 or UTF-32 input rejects with an InputError (see checkTextEncoding).
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
export async function readLines(source: Readable | AsyncIterable<Buffer>, handlers: LineHandlers): Promise<number> {
  let lineNumber = 0;
  await readLineBlocks(source, {
    block(bytes) {
      const text = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
      let start = 0;
      while (start < text.length) {
        let newline = text.indexOf('\n', start);
        if (newline === -1) newline = text.length;
        const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        handlers.line(text.slice(start, end), ++lineNumber);
        start = newline + 1;
      }
    },
    tooLong: () => handlers.tooLong?.(++lineNumber),
  });
  return lineNumber;
}

/**
 * {@link readLines} a block of whole lines at a time, as bytes: for callers that split and decode
 * lines themselves, and so look at most lines without making a string of each. Gzip is detected
 * by its magic bytes in a stream ({@link openExport} does it for files). The text encoding is
 * checked at the start of the (decompressed) input, as {@link readLines} says.
 *
 * @example
 * ```ts
 * await readLineBlocks((await openExport('events.jsonl')).source, { block: (bytes) => void (total += bytes.length) });
 * ```
 */
export async function readLineBlocks(source: Readable | AsyncIterable<Buffer>, handlers: LineBlockHandlers): Promise<void> {
  /** Bytes of an unfinished line from earlier chunks. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skippingLongLine = false;
  /** What the chunk being taken holds, handed on in order once it is taken: blocks, and null for a line too long. */
  const found: (Buffer | null)[] = [];
  const emit = (bytes: Buffer) => found.push(bytes);
  const tooLong = () => found.push(null);

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
        tooLong();
        pending = [];
        pendingBytes = 0;
        skippingLongLine = true;
      }
      return;
    }
    if (pendingBytes > 0 && pendingBytes + first - from > MAX_LINE_BYTES) {
      // The unfinished line ran past the limit; it ends at this newline.
      tooLong();
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

  const handOn = async () => {
    for (const block of found) {
      if (block === null) handlers.tooLong?.();
      else await handlers.block(block);
    }
    found.length = 0;
  };
  /** The input's first bytes, gathered until its encoding can be told (see checkTextEncoding); then undefined. */
  let head: Buffer | undefined = Buffer.alloc(0);
  const consume = async (chunks: AsyncIterable<Buffer>) => {
    for await (let chunk of chunks) {
      if (head !== undefined) {
        head = Buffer.concat([head, chunk]);
        if (head.length < ENCODING_HEAD_BYTES) continue;
        chunk = head.subarray(checkTextEncoding(head));
        head = undefined;
      }
      take(chunk);
      await handOn();
    }
    if (head !== undefined) take(head.subarray(checkTextEncoding(head)));
    if (!skippingLongLine && pendingBytes > 0) emit(Buffer.concat(pending));
    await handOn();
  };

  if (!isReadable(source)) return consume(source);
  if (startsWithGzipMagic(await peek(source))) await pipeline(source, createGunzip({ chunkSize: READ_CHUNK_BYTES }), consume);
  else await pipeline(source, consume);
}

const isReadable = (source: Readable | AsyncIterable<Buffer>): source is Readable => typeof (source as Readable).pipe === 'function';
