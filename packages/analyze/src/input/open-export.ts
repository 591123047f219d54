import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { FileChunks } from './file-chunks.js';
import { InputError } from './input-error.js';
import { READ_CHUNK_BYTES, startsWithGzipMagic } from './read-lines.js';

/** An opened export: what {@link readLineBlocks} reads, with `bytesRead` for a progress bar. */
export type ExportSource = (FileChunks | Readable) & { readonly bytesRead: number };

/**
 * An export opened by {@link openExport}.
 *
 * @example
 * ```ts
 * const { source, size } = await openExport('events.jsonl');
 * ```
 */
export interface OpenedExport {
  readonly source: ExportSource;
  /** The file's size in bytes; undefined for a pipe or a device, whose length is known only at its end. */
  readonly size: number | undefined;
}

/** How long opening a pipe may take before `onWaiting` is called: a pipe being written opens at once. */
export const WAITING_NOTICE_MS = 1000;

/**
 * Opens an export for {@link readLineBlocks}. A plain file is read as {@link FileChunks}, or as a
 * read stream when gzip (detected from its first bytes). A named pipe (`mkfifo`, or the
 * `/dev/fd/N` of a shell's process substitution `<(zcat x.gz)`) or a character device is read
 * as a stream, once, from its start: its size is unknown, so no progress bar nor worker threads.
 * Opening a pipe waits until a program opens it for writing, as `cat` would; `onWaiting` is
 * called when that takes over {@link WAITING_NOTICE_MS}, so the wait is not silent. Anything
 * else (a folder, a socket) or a path that cannot be opened is an {@link InputError} naming the
 * path and the reason.
 *
 * @example
 * ```ts
 * const { source } = await openExport('/dev/fd/63', () => console.error('waiting for a writer'));
 * await readLineBlocks(source, handlers);
 * ```
 */
export async function openExport(path: string, onWaiting?: () => void): Promise<OpenedExport> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { source: openExportFile(path), size: info.size };
    if (!info.isFIFO() && !info.isCharacterDevice()) throw new InputError(`cannot read ${path}: not a file`);
    const notice = onWaiting === undefined ? undefined : setTimeout(onWaiting, WAITING_NOTICE_MS);
    try {
      const handle = await open(path, 'r');
      return { source: handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES }), size: undefined };
    } finally {
      clearTimeout(notice);
    }
  } catch (error) {
    throw error instanceof InputError ? error : new InputError(openingFailure(path, error));
  }
}

/**
 * The one-line message for a path that failed to open or stat: `cannot read <path>: <reason>`.
 *
 * @example
 * ```ts
 * openingFailure('x.jsonl', Object.assign(new Error('ENOENT: ...'), { code: 'ENOENT' })); // 'cannot read x.jsonl: no such file'
 * ```
 */
export function openingFailure(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`;
}

/**
 * Opens an export file for {@link readLineBlocks}: a plain file as {@link FileChunks}, a gzip file
 * (detected from its first bytes) as a read stream. Either has `bytesRead`, for a progress bar.
 * {@link openExport} takes pipes too.
 *
 * @example
 * ```ts
 * const lines = await readLineBlocks(openExportFile('events.jsonl.gz'), handlers);
 * ```
 */
export function openExportFile(path: string): ExportSource {
  const fd = openSync(path, 'r');
  let gzip: boolean;
  try {
    const head = Buffer.alloc(2);
    gzip = readSync(fd, head, 0, 2, 0) === 2 && startsWithGzipMagic(head);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (!gzip) return new FileChunks(fd);
  closeSync(fd);
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
}
