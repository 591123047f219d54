import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real file system that fills and frees on cue: a tmpfs of `sizeKb` mounted under the system's
 * temporary directory (read-only with `readOnly`). Mounting needs root, as the CI has (it installs
 * the services with apt); elsewhere this throws saying so. Resolves with `dir` (where it is
 * mounted), `fill()` (a file of its own takes what is left, up to the last byte the disk takes),
 * `free()` (removes that file) and `remove()` (unmounts it and removes the mount point).
 * Used by the tests and bench/fault-injection.mjs.
 *
 * @param {number} sizeKb
 * @param {{ readOnly?: boolean }} [options]
 */
export async function mountSmallDisk(sizeKb, { readOnly = false } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'skill-tree-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k${readOnly ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    await rmdir(dir);
    throw new Error(`mounting a ${sizeKb} KiB tmpfs at ${dir} failed (these tests need root, as the CI runs): ${String(error.stderr ?? error)}`);
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    async fill() {
      const handle = await open(filler, 'a');
      const block = Buffer.alloc(4096, 0x20);
      try {
        // Whole blocks, then single bytes: the last write that fails is the disk saying it is full.
        for (const chunk of [block, block.subarray(0, 1)]) {
          for (;;) {
            try {
              await handle.write(chunk);
            } catch (error) {
              if (error.code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        await handle.close();
      }
    },
    free: () => rm(filler, { force: true }),
    async remove() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      await rmdir(dir);
    },
  };
}
