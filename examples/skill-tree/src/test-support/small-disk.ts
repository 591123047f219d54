import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** Where it is mounted. */
  readonly dir: string;
  /** Fills what is left with a file of its own, up to the last byte the disk takes. */
  fill(): Promise<void>;
  /** Removes that file: the disk has room again. */
  free(): Promise<void>;
  /** Unmounts it and removes the mount point. */
  remove(): Promise<void>;
}

/**
 * A real file system that fills and frees on cue: a tmpfs of `sizeKb` mounted under the system's
 * temporary directory (read-only with `readOnly`). Mounting needs root, as the CI has (it installs
 * the services with apt); elsewhere this throws saying so.
 */
export async function mountSmallDisk(sizeKb: number, { readOnly = false } = {}): Promise<SmallDisk> {
  const dir = await mkdtemp(join(tmpdir(), 'skill-tree-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k${readOnly ? ',ro' : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    await rmdir(dir);
    throw new Error(`mounting a ${sizeKb} KiB tmpfs at ${dir} failed (these tests need root, as the CI runs): ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
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
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
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
