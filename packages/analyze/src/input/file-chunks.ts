import { closeSync, read } from 'node:fs';

/**
 * Bytes per read of a plain file: four times a stream's READ_CHUNK_BYTES, since FileChunks reuses
 * its two buffers and so nothing piles up. A quarter of the reads, and of the blocks handed on,
 * took about 6% off the CPU time per event (300 MB bench, one thread; 1 MiB did no better).
 */
export const FILE_CHUNK_BYTES = 1 << 18;

/**
 * A plain file's bytes, {@link FILE_CHUNK_BYTES} at a time, into two buffers used in turn: the
 * next chunk is read (on libuv's thread pool) while the caller works on this one, and reading
 * allocates nothing per chunk, where a read stream allocates every chunk anew. Each chunk is
 * valid until the next is asked for. Closes the file at the end, or when the loop stops early.
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
    const buffers = [Buffer.allocUnsafe(FILE_CHUNK_BYTES), Buffer.allocUnsafe(FILE_CHUNK_BYTES)];
    let which = 0;
    let next = this.readInto(buffers[0]!);
    try {
      for (;;) {
        const bytesRead = await next;
        if (bytesRead === 0) return;
        const chunk = buffers[which]!.subarray(0, bytesRead);
        which ^= 1;
        next = this.readInto(buffers[which]!);
        this.bytesRead += bytesRead;
        yield chunk;
      }
    } finally {
      // A read may still be under way when the caller stops early; it must end before the close.
      await next.catch(() => undefined);
      closeSync(this.fd);
    }
  }

  private readInto(buffer: Buffer): Promise<number> {
    const reading = new Promise<number>((resolve, reject) => read(this.fd, buffer, 0, FILE_CHUNK_BYTES, null, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
    reading.catch(() => undefined); // awaited later; not an unhandled rejection meanwhile
    return reading;
  }
}
