import { isAscii } from 'node:buffer';
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
export async function readLines(source: Readable, handlers: LineHandlers): Promise<number> {
  const head = await peek(source);
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  /** Bytes of an unfinished line from earlier chunks. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  let skippingLongLine = false;

  /** Hands on every line of text that ends in a newline. */
  const emitLines = (text: string) => {
    let start = 0;
    let newline: number;
    while ((newline = text.indexOf('\n', start)) !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      handlers.line(text.slice(start, end), ++lineNumber);
      start = newline + 1;
    }
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
      // Copied: the stream may reuse the chunk's memory.
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
      // The line begun in earlier chunks, decoded on its own so the rest of the chunk is not copied.
      emitLines(decode(Buffer.concat([...pending, chunk.subarray(from, first + 1)])));
      from = first + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= from) emitLines(decode(chunk.subarray(from, last + 1)));
    pending = last + 1 < chunk.length ? [Buffer.from(chunk.subarray(last + 1))] : [];
    pendingBytes = chunk.length - last - 1;
  };

  const consume = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) take(chunk);
    if (!skippingLongLine && pendingBytes > 0) {
      const rest = decode(Buffer.concat(pending));
      handlers.line(rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest, ++lineNumber);
    }
  };

  if (gzip) await pipeline(source, createGunzip({ chunkSize: READ_CHUNK_BYTES }), consume);
  else await pipeline(source, consume);
  return lineNumber;
}

const decode = (bytes: Buffer): string => bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
