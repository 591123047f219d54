import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogPathError, openJsonlFile } from './jsonl-file.mjs';
import { faultyFs } from './test-support/faulty-fs.js';
import { readJsonLines } from './test-support/json-lines.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const records = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ n: from + i, pad: 'x'.repeat(40) }));
/** The file's lines, each parsed (a torn line fails the test). */
const linesOf = (path: string) => readJsonLines<{ n: number }>(path);

describe('openJsonlFile', () => {
  it('appends records as lines in call order, creating the directories, and closes after the last write', async () => {
    const path = join(dir, 'nested', 'deeper', 'events.jsonl');
    const file = await openJsonlFile(path);
    const writes = Array.from({ length: 50 }, (_, i) => file.append([{ n: i * 2 }, { n: i * 2 + 1 }]));
    await file.close();
    await Promise.all(writes);
    expect((await linesOf(path)).map((line) => line.n)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('appends to an existing file', async () => {
    const path = join(dir, 'events.jsonl');
    const first = await openJsonlFile(path);
    await first.append([{ run: 1 }]);
    await first.close();
    const second = await openJsonlFile(path);
    await second.append([{ run: 2 }]);
    await second.close();
    expect(await readFile(path, 'utf8')).toBe('{"run":1}\n{"run":2}\n');
  });

  it('cuts off a torn last line an earlier run left, saying so, so the next record starts a line', async () => {
    const path = join(dir, 'events.jsonl');
    await writeFile(path, '{"run":1}\n{"run":2,"cut');
    const said: string[] = [];
    const file = await openJsonlFile(path, { log: (message: string) => said.push(message) });
    await file.append([{ run: 3 }]);
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('{"run":1}\n{"run":3}\n');
    expect(said).toEqual([`${path}: cut off a torn last line (13 bytes, no newline) left by an earlier run`]);
  });

  it('says so when the run before did not close the log (a crash, SIGKILL), and not after a clean close', async () => {
    const path = join(dir, 'events.jsonl');
    const crashed = await openJsonlFile(path);
    await crashed.append([{ run: 1 }]); // never closed, as after a SIGKILL
    const said: string[] = [];
    const next = await openJsonlFile(path, { log: (message: string) => said.push(message) });
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^${path}: the run before \\(pid ${process.pid}, started [0-9T:.Z-]+\\) did not close it \\(a crash, or SIGKILL\\): the events it still held in memory are not in the log$`)),
    ]);
    await next.close();
    const after: string[] = [];
    await (await openJsonlFile(path, { log: (message: string) => after.push(message) })).close();
    expect(after).toEqual([]);
    await expect(readFile(`${path}.open`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('throws for a record that cannot be serialized, writing none of it or of its batch, and goes on', async () => {
    const path = join(dir, 'events.jsonl');
    const file = await openJsonlFile(path);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => file.append([circular])).toThrow('Converting circular structure to JSON'); // not even queued: it cannot be serialized
    // Nor is the good record before it: the batching sink retries a failed deliver, and a batch
    // written in part would leave that record in the export once per attempt.
    expect(() => file.append([{ before: 1 }, circular])).toThrow('Converting circular structure to JSON');
    await file.append([{ ok: 1 }]);
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('{"ok":1}\n');
  });

  it('refuses writes after close', async () => {
    const file = await openJsonlFile(join(dir, 'events.jsonl'));
    await file.close();
    await expect(file.append([{ late: true }])).rejects.toThrow('is closed');
  });
});

describe('openJsonlFile at start-up: a log that cannot be written fails with the path and the reason', () => {
  it('refuses a path under a regular file (ENOTDIR)', async () => {
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'a file');
    const opening = openJsonlFile(join(blocker, 'logs', 'events.jsonl'));
    await expect(opening).rejects.toThrow(LogPathError);
    await expect(opening).rejects.toThrow(`${blocker}: is not a directory (ENOTDIR), so the log cannot go under it`);
  });

  it('refuses /dev/full, a device a failed write cannot be cut back in', async () => {
    await expect(openJsonlFile('/dev/full')).rejects.toThrow('/dev/full: is a character device, not a regular file');
  });

  it('refuses a directory', async () => {
    await mkdir(join(dir, 'events.jsonl'));
    await expect(openJsonlFile(join(dir, 'events.jsonl'))).rejects.toThrow(`${join(dir, 'events.jsonl')}: cannot be opened for appending: EISDIR (is a directory)`);
  });

  it('fails, instead of spinning, for a directory under /proc (where recursive mkdir never ends)', async () => {
    await expect(openJsonlFile('/proc/self/bucketry/logs/events.jsonl')).rejects.toThrow(
      '/proc/self/bucketry: cannot create the directory: ENOENT (no such file or directory (the system refused to create it))',
    );
  });

  it('refuses a disk that takes no byte (ENOSPC), leaving the file as it was', async () => {
    const path = join(dir, 'events.jsonl');
    await writeFile(path, '{"run":1}\n');
    const faults = faultyFs();
    faults.writeFaults.push({ code: 'ENOSPC' });
    await expect(openJsonlFile(path, { fs: faults.fs })).rejects.toThrow(`${path}: cannot be written: ENOSPC (no space left on the device)`);
    expect(await readFile(path, 'utf8')).toBe('{"run":1}\n');
  });
});

describe('openJsonlFile when writes fail: whole records only', () => {
  it('cuts a write that stopped part-way (ENOSPC) back to the last whole record; the retried batch is written once', async () => {
    const path = join(dir, 'events.jsonl');
    const faults = faultyFs();
    const file = await openJsonlFile(path, { fs: faults.fs });
    await file.append(records(0, 3));
    // The disk fills 100 bytes into the next batch, and again 7 bytes into its first retry.
    faults.writeFaults.push({ bytes: 100, code: 'ENOSPC' }, { bytes: 7, code: 'ENOSPC' });
    await expect(file.append(records(3, 5))).rejects.toThrow('ENOSPC');
    expect((await linesOf(path)).map((line) => line.n)).toEqual([0, 1, 2]);
    await expect(file.append(records(3, 5))).rejects.toThrow('ENOSPC');
    await file.append(records(3, 5)); // the disk has room again
    await file.append(records(8, 2));
    await file.close();
    expect((await linesOf(path)).map((line) => line.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('when the cut-back fails too, cuts back before the next write, and refuses it while it cannot', async () => {
    const path = join(dir, 'events.jsonl');
    const faults = faultyFs();
    const file = await openJsonlFile(path, { fs: faults.fs });
    await file.append(records(0, 1));
    faults.writeFaults.push({ bytes: 30, code: 'ENOSPC' });
    faults.truncateFails = 'EIO';
    await expect(file.append(records(1, 2))).rejects.toThrow('ENOSPC');
    const writesBefore = faults.writes.length;
    await expect(file.append(records(1, 2))).rejects.toThrow('EIO'); // not written after the torn bytes
    expect(faults.writes.length).toBe(writesBefore);
    faults.truncateFails = undefined;
    await file.append(records(1, 2));
    await file.close();
    expect((await linesOf(path)).map((line) => line.n)).toEqual([0, 1, 2]);
  });

  it('rejects close with the path and the reason when the sync fails, and still closes the file', async () => {
    const path = join(dir, 'events.jsonl');
    const faults = faultyFs();
    const file = await openJsonlFile(path, { fs: faults.fs });
    await file.append(records(0, 1));
    faults.syncFails = 'EIO';
    const closing = file.close();
    await expect(closing).rejects.toThrow(LogPathError);
    await expect(closing).rejects.toThrow(`${path}: could not be synced to disk at close: EIO (input/output error); the last writes may be lost`);
    await expect(file.append(records(1, 1))).rejects.toThrow('is closed');
  });

  it('rejects close naming a partial write it still could not cut back', async () => {
    const path = join(dir, 'events.jsonl');
    const faults = faultyFs();
    const file = await openJsonlFile(path, { fs: faults.fs });
    faults.writeFaults.push({ bytes: 5, code: 'ENOSPC' });
    faults.truncateFails = 'EIO';
    await expect(file.append(records(0, 1))).rejects.toThrow('ENOSPC');
    await expect(file.close()).rejects.toThrow(`${path}: a partial write could not be cut back: EIO (input/output error)`);
  });
});
