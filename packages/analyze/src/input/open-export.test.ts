import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';
import { FileChunks } from './file-chunks.js';
import { InputError } from './input-error.js';
import { openExport } from './open-export.js';
import { readLines } from './read-lines.js';

useSlowTestTimeouts();

const dir = mkdtempSync(join(tmpdir(), 'bucketry-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = '{"n":1}\n{"n":2}\n';

async function linesOf(path: string) {
  const { source, size } = await openExport(path);
  const lines: string[] = [];
  await readLines(source, { line: (line) => lines.push(line) });
  return { lines, size };
}

describe('openExport', () => {
  it('reads a file in chunks with its size, gzip or not', async () => {
    writeFileSync(join(dir, 'plain.jsonl'), TEXT);
    writeFileSync(join(dir, 'packed.jsonl'), gzipSync(TEXT));
    expect((await openExport(join(dir, 'plain.jsonl'))).source).toBeInstanceOf(FileChunks);
    expect(await linesOf(join(dir, 'plain.jsonl'))).toEqual({ lines: ['{"n":1}', '{"n":2}'], size: TEXT.length });
    expect((await linesOf(join(dir, 'packed.jsonl'))).lines).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('reads a named pipe as a stream, saying so when no program has opened it for writing yet', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    let waited!: () => void;
    const waiting = new Promise<void>((resolve) => (waited = resolve));
    const opening = openExport(fifo, waited);
    // Nothing writes yet: the notice comes (after WAITING_NOTICE_MS), then a writer opens the pipe.
    await waiting;
    const writer = await open(fifo, 'w');
    const { source, size } = await opening;
    expect(size).toBeUndefined();
    await writer.write(gzipSync(TEXT));
    await writer.close();
    const lines: string[] = [];
    await readLines(source, { line: (line) => lines.push(line) });
    expect(lines).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('reads a character device as a stream of unknown size', async () => {
    expect(await linesOf('/dev/null')).toEqual({ lines: [], size: undefined });
  });

  it('refuses a folder, and a path that cannot be opened, naming the path and the reason', async () => {
    mkdirSync(join(dir, 'folder'));
    await expect(openExport(join(dir, 'folder'))).rejects.toThrow(new InputError(`cannot read ${join(dir, 'folder')}: not a file`));
    await expect(openExport(join(dir, 'missing.jsonl'))).rejects.toThrow(new InputError(`cannot read ${join(dir, 'missing.jsonl')}: no such file`));
    await expect(openExport(join(dir, 'plain.jsonl', 'below'))).rejects.toBeInstanceOf(InputError);
  });
});
