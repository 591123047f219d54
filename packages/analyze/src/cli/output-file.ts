import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { UsageError, type CliIo } from './io.js';

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

/** Why a write failed, by error code, for {@link writeReport}'s message. */
const WRITE_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'over the disk quota',
  EISDIR: 'is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'on a read-only file system',
  EIO: 'an input/output error on the device',
};

/** Where `--out` sends a report: the flag's value as given, and its absolute path from {@link outputPath}. */
export interface OutFile {
  readonly flag: string;
  readonly path: string;
}

/**
 * A report to the `--out` file, then one line on stderr: `headline` and where the report went;
 * without --out, the report to stdout. A failed write (a full disk, `/dev/full`, a folder in the
 * way) throws one line naming the flag, the file and the reason, which the CLI prints and exits 2 on.
 *
 * @example
 * ```ts
 * await writeReport(io, html, { flag: 'report.html', path: await outputPath(io.cwd, 'report.html') }, 'Decision: PROCEED', 'html');
 * ```
 */
export async function writeReport(io: CliIo, text: string, out: OutFile | undefined, headline: string, format: string): Promise<void> {
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(out.path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new Error(`--out ${out.flag}: cannot write the report (${WRITE_REASONS[code] ?? (error as Error).message})`);
  }
  io.stderr.write(`${headline} (${format} report written to ${out.flag})\n`);
}
