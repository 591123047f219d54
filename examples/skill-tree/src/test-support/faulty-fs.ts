import * as fs from 'node:fs/promises';

/** What one write to a file opened through {@link faultyFs} does instead of writing it all. */
export type WriteFault =
  /** Writes the first `bytes` bytes, then fails with `code` (a disk that fills mid-write). */
  | { readonly bytes: number; readonly code: string }
  /** Writes nothing and fails with `code`. */
  | { readonly code: string };

export interface FaultyFs {
  readonly fs: Pick<typeof fs, 'stat' | 'mkdir' | 'open' | 'readFile' | 'writeFile' | 'rm'>;
  /** The faults for the next writes, in order; a write with none left is a real write. */
  readonly writeFaults: WriteFault[];
  /** Makes every truncate fail with this code (undefined: real truncates). */
  truncateFails: string | undefined;
  /** Makes the sync at close fail with this code. */
  syncFails: string | undefined;
  /** Every write asked for, with the bytes it was given. */
  readonly writes: number[];
}

const errno = (code: string, call: string) => Object.assign(new Error(`${code}: injected fault, ${call}`), { code });

/**
 * node:fs/promises with faults on demand, for what a real disk cannot do on cue: a write that
 * stops part-way with ENOSPC, a truncate or an fsync that fails. Everything not faulted is the real
 * call on the real file, so the file's contents are what a real disk would hold.
 */
export function faultyFs(): FaultyFs {
  const faults: FaultyFs = {
    writeFaults: [],
    truncateFails: undefined,
    syncFails: undefined,
    writes: [],
    fs: {
      stat: fs.stat,
      mkdir: fs.mkdir,
      readFile: fs.readFile,
      writeFile: fs.writeFile,
      rm: fs.rm,
      open: (async (path: string, flags: string) => {
        const handle = await fs.open(path, flags);
        return {
          stat: () => handle.stat(),
          read: (buffer: Buffer, offset: number, length: number, position: number) => handle.read(buffer, offset, length, position),
          async write(data: Buffer | string, offset?: number, length?: number) {
            const buffer = typeof data === 'string' ? Buffer.from(data) : data.subarray(offset ?? 0, (offset ?? 0) + (length ?? data.length));
            faults.writes.push(buffer.length);
            const fault = faults.writeFaults.shift();
            if (fault === undefined) return handle.write(buffer);
            if ('bytes' in fault && fault.bytes > 0) await handle.write(buffer.subarray(0, fault.bytes));
            throw errno(fault.code, 'write');
          },
          async truncate(length: number) {
            if (faults.truncateFails) throw errno(faults.truncateFails, 'ftruncate');
            return handle.truncate(length);
          },
          async sync() {
            if (faults.syncFails) throw errno(faults.syncFails, 'fsync');
            return handle.sync();
          },
          close: () => handle.close(),
        };
      }) as unknown as typeof fs.open,
    },
  };
  return faults;
}
