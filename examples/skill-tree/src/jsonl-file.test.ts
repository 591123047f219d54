import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonlFile } from './jsonl-file.mjs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createJsonlFile', () => {
  it('appends records as lines in call order, creating the directory, and closes after the last write', async () => {
    const path = join(dir, 'nested', 'events.jsonl');
    const file = createJsonlFile(path);
    const writes = Array.from({ length: 50 }, (_, i) => file.append([{ n: i * 2 }, { n: i * 2 + 1 }]));
    await file.close();
    await Promise.all(writes);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).n)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('appends to an existing file', async () => {
    const path = join(dir, 'events.jsonl');
    const first = createJsonlFile(path);
    await first.append([{ run: 1 }]);
    await first.close();
    const second = createJsonlFile(path);
    await second.append([{ run: 2 }]);
    await second.close();
    expect(await readFile(path, 'utf8')).toBe('{"run":1}\n{"run":2}\n');
  });

  it('throws for a record that cannot be serialized, writing none of it or of its batch, and goes on', async () => {
    const path = join(dir, 'events.jsonl');
    const file = createJsonlFile(path);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => file.append([circular])).toThrow(); // not even queued: it cannot be serialized
    // Nor is the good record before it: the batching sink retries a failed deliver, and a batch
    // written in part would leave that record in the export once per attempt.
    expect(() => file.append([{ before: 1 }, circular])).toThrow();
    await file.append([{ ok: 1 }]);
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('{"ok":1}\n');
  });

  it('refuses writes after close', async () => {
    const file = createJsonlFile(join(dir, 'events.jsonl'));
    await file.close();
    await expect(file.append([{ late: true }])).rejects.toThrow('is closed');
  });

  it('rejects a write when the file cannot be opened, and still writes later when it can', async () => {
    // The file's directory is taken by a file: opening fails until that file is removed.
    const blocker = join(dir, 'blocker');
    const blocking = createJsonlFile(blocker);
    await blocking.append([{}]);
    await blocking.close();
    const file = createJsonlFile(join(blocker, 'events.jsonl'));
    await expect(file.append([{ a: 1 }])).rejects.toThrow();
    await rm(blocker);
    await file.append([{ a: 2 }]);
    await file.close();
    expect(await readFile(join(blocker, 'events.jsonl'), 'utf8')).toBe('{"a":2}\n');
  });
});
