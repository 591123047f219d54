// An append-only JSONL file: writes happen one after another, in call order, so lines never
// interleave and close() returns only once everything asked for is on disk.
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export function createJsonlFile(path) {
  let handle;
  let tail = Promise.resolve();
  let closed = false;

  const ensureOpen = async () => {
    if (handle === undefined) {
      await mkdir(dirname(path), { recursive: true });
      handle = await open(path, 'a');
    }
    return handle;
  };

  return {
    path,
    /** Appends the records, one line each; resolves once written, rejects if the write failed. */
    append(records) {
      if (closed) return Promise.reject(new Error(`${path} is closed`));
      if (records.length === 0) return tail;
      const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
      const write = tail.then(async () => {
        const file = await ensureOpen();
        await file.appendFile(text, 'utf8');
      });
      // A failed write is the caller's to retry; it must not stop the writes after it.
      tail = write.catch(() => {});
      return write;
    },
    /** Waits for every write, syncs and closes the file. */
    async close() {
      closed = true;
      await tail;
      if (handle !== undefined) {
        await handle.sync();
        await handle.close();
        handle = undefined;
      }
    },
  };
}
