// An append-only JSONL file that holds whole records only. It is opened and checked at start-up
// (a log that cannot be written stops start-up, naming the path and why); writes happen one after
// another, in call order; a write that fails part-way (a disk full for a moment) is cut back to the
// last whole record, so retrying the batch neither tears a line nor writes any record twice.
// One writer per file: the cut-back trusts that nobody else appends meanwhile.
import * as nodeFs from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeError, LogPathError, makeDirectory } from './log-directory.mjs';

export { LogPathError } from './log-directory.mjs';

/** The kind of a non-regular file, for the start-up error. */
function kindOf(stats) {
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Opens `path` for appending and checks it can take a write, making its directory if needed.
 * Rejects with a {@link LogPathError} naming the path and the reason: a directory that cannot be
 * made (under a file, under /proc, read-only), a file that cannot be opened, one that is not a
 * regular file (a device such as /dev/full, a pipe: neither can be cut back after a partial
 * write), or a disk that refuses the first byte. A last line left torn by a crash is cut off
 * (reported with `log`), so the next record starts on a line of its own. `<path>.open` marks the
 * log open until a clean `close()`: a run that ended without one (a crash, SIGKILL) lost the
 * events it held in memory, and the next run says so with `log`.
 *
 * `fs` stands in for node:fs/promises (tests inject faults through it).
 *
 * @param {string} path
 * @param {{ fs?: Pick<typeof import('node:fs/promises'), 'stat' | 'mkdir' | 'open' | 'readFile' | 'writeFile' | 'rm'>, log?: (message: string) => void }} [options]
 */
export async function openJsonlFile(path, { fs = nodeFs, log = () => {} } = {}) {
  await makeDirectory(dirname(path), fs);
  let handle;
  try {
    handle = await fs.open(path, 'a+');
  } catch (error) {
    throw new LogPathError(path, `cannot be opened for appending: ${describeError(error)}`, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new LogPathError(path, `is ${kindOf(stats)}, not a regular file: the log must be a file a failed write can be cut back in`);
    }
    let length = stats.size;
    const torn = await tornTail(handle, length);
    if (torn > 0) {
      length -= torn;
      await handle.truncate(length);
      log(`${path}: cut off a torn last line (${torn} bytes, no newline) left by an earlier run`);
    }
    // The first byte: a full disk or a read-only file system (that allowed the open) says so now.
    try {
      await handle.write('\n');
    } finally {
      await handle.truncate(length);
    }
    await markOpen(path, fs, log);
    return jsonlFile(path, handle, length, fs);
  } catch (error) {
    await handle.close().catch(() => {});
    if (error instanceof LogPathError) throw error;
    throw new LogPathError(path, `cannot be written: ${describeError(error)}`, error);
  }
}

/** The file saying the log is open; a clean close removes it, so finding it means a run ended without one. */
const markerOf = (path) => `${path}.open`;

/** Reports a previous run that never closed the log (its last events in memory are lost), then marks this one. */
async function markOpen(path, fs, log) {
  const previous = await fs.readFile(markerOf(path), 'utf8').catch(() => undefined);
  if (previous !== undefined) {
    log(`${path}: the run before (${previous.trim()}) did not close it (a crash, or SIGKILL): the events it still held in memory are not in the log`);
  }
  await fs.writeFile(markerOf(path), `pid ${process.pid}, started ${new Date().toISOString()}\n`);
}

/** How many bytes at the end of the file follow its last newline (0 if it ends with one). */
async function tornTail(handle, length) {
  let end = length;
  const chunk = Buffer.alloc(64 * 1024);
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline >= 0) return length - (start + newline + 1);
    end = start;
  }
  return length;
}

function jsonlFile(path, handle, startLength, fs) {
  /** The file's length after the last whole write: what a failed write is cut back to. */
  let length = startLength;
  /** Set when cutting back failed: the file may hold part of a record until a cut-back works. */
  let needsCut = false;
  let tail = Promise.resolve();
  let closed = false;

  const cutBack = async () => {
    await handle.truncate(length);
    needsCut = false;
  };

  const writeWhole = async (buffer) => {
    if (needsCut) await cutBack();
    let written = 0;
    try {
      while (written < buffer.length) {
        const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
        written += bytesWritten;
      }
    } catch (error) {
      needsCut = true;
      await cutBack().catch(() => {}); // still set: the next write cuts back first, or fails
      throw error;
    }
    length += buffer.length;
  };

  return {
    path,
    /**
     * Appends the records, one line each; resolves once written, rejects if the write failed (and
     * then none of the records is in the file). Throws at once for a record that cannot be
     * serialized, writing none of its batch.
     */
    append(records) {
      if (closed) return Promise.reject(new Error(`${path} is closed`));
      if (records.length === 0) return tail;
      const buffer = Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');
      const write = tail.then(() => writeWhole(buffer));
      // A failed write is the caller's to retry; it must not stop the writes after it.
      tail = write.catch(() => {});
      return write;
    },
    /**
     * Waits for every write, syncs and closes the file. Rejects with an error naming the path when
     * the sync fails (what was written may not be on disk) or a partial write could not be cut back.
     */
    async close() {
      if (closed) return;
      closed = true;
      await tail;
      let problem;
      if (needsCut) {
        await cutBack().catch((error) => (problem = `a partial write could not be cut back: ${describeError(error)}`));
      }
      try {
        await handle.sync();
      } catch (error) {
        problem ??= `could not be synced to disk at close: ${describeError(error)}; the last writes may be lost`;
      }
      await handle.close().catch((error) => (problem ??= `could not be closed: ${describeError(error)}`));
      if (problem) throw new LogPathError(path, problem);
      // Closed cleanly: the next run has nothing to report.
      await fs.rm(markerOf(path), { force: true });
    },
  };
}
