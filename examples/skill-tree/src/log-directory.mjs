// Makes the exposure log's directory one level at a time. Node's recursive mkdir spins forever
// on a path it can never create (under /proc every mkdir answers ENOENT, which it takes for "make
// the parent first"); one mkdir per missing level ends in an error naming the directory instead.
import { dirname } from 'node:path';

/** Why a directory for the log cannot be made: the directory, the error code and what it means. */
export class LogPathError extends Error {
  constructor(path, message, cause) {
    super(`${path}: ${message}`, { cause });
    this.name = 'LogPathError';
    this.path = path;
    this.code = cause?.code;
  }
}

/** What an errno means for someone setting EXPOSURE_LOG. */
const MEANINGS = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory (the system refused to create it)',
  EDQUOT: 'disk quota exceeded',
  EIO: 'input/output error',
};

/** "ENOSPC (no space left on the device)", or the error's own message for a code not listed. */
export const describeError = (error) => {
  const meaning = MEANINGS[error?.code];
  return meaning ? `${error.code} (${meaning})` : String(error?.message ?? error);
};

/**
 * Makes `dir` and any missing parents, with `fs` (node:fs/promises or a stand-in). Walks up to
 * the nearest path that exists, checks it is a directory, then makes each missing level with a
 * plain mkdir: at most one call per level, so a path that cannot be made fails instead of spinning.
 */
export async function makeDirectory(dir, fs) {
  const missing = [];
  let existing = dir;
  for (;;) {
    try {
      const found = await fs.stat(existing);
      if (!found.isDirectory()) throw new LogPathError(existing, 'is not a directory (ENOTDIR), so the log cannot go under it', { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if (error instanceof LogPathError) throw error;
      // ENOTDIR: a file further up; the walk goes on up to it, to name it.
      if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw new LogPathError(existing, `cannot be checked: ${describeError(error)}`, error);
      const parent = dirname(existing);
      if (parent === existing) throw new LogPathError(existing, `cannot be checked: ${describeError(error)}`, error);
      missing.unshift(existing);
      existing = parent;
    }
  }
  for (const level of missing) {
    try {
      await fs.mkdir(level);
    } catch (error) {
      // Made meanwhile by someone else: fine if it is a directory (the next level's mkdir tells).
      if (error.code === 'EEXIST') continue;
      throw new LogPathError(level, `cannot create the directory: ${describeError(error)}`, error);
    }
  }
}
