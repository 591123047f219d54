import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { UsageError } from './io.js';

const REASONS: Record<string, string> = {
  EEXIST: 'is a file, not a folder',
  ENOTDIR: 'is a file, not a folder',
  EACCES: 'cannot be written (permission denied)',
  EPERM: 'cannot be written (permission denied)',
  EROFS: 'is on a read-only file system',
};

/**
 * The absolute path for `--out <file>`, with its folder made if missing (as `mkdir -p` would), so
 * `--out reports/ramp-50.html` works in a fresh checkout. Called before the work, so a folder
 * that cannot be made fails at once, naming the flag and the folder, not with a raw ENOENT
 * after the analysis.
 */
export async function outputPath(cwd: string, out: string): Promise<string> {
  const path = resolve(cwd, out);
  const folder = dirname(path);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const shown = relative(cwd, folder) || '.';
    throw new UsageError(`--out ${out}: the folder ${shown} ${REASONS[code] ?? `cannot be made (${(error as Error).message})`}`);
  }
  return path;
}

/** Why a write failed, by error code, for {@link writeOutputFile}'s message. */
const WRITE_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EISDIR: 'is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'on a read-only file system',
  EIO: 'an input/output error on the device',
};

/**
 * Writes a report to the `--out` file at `path` (see {@link outputPath}); a failed write (a full
 * disk, `/dev/full`, a folder in the way) throws one line naming the flag, the file and the
 * reason, which the CLI prints and exits 2 on.
 *
 * @example
 * ```ts
 * await writeOutputFile(await outputPath(process.cwd(), 'report.html'), 'report.html', html);
 * ```
 */
export async function writeOutputFile(path: string, out: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new Error(`--out ${out}: cannot write the report (${WRITE_REASONS[code] ?? (error as Error).message})`);
  }
}
