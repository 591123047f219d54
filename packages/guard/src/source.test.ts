import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEventSource, SourceError, type EventSource } from './source.js';
import type { EventCursor } from './types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guard-source-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number) => `{"event":"e","unit":"u${i}","timestamp":"2026-12-01T00:00:00Z"}\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => line(from + k)).join('');

async function look(source: EventSource, cursor: EventCursor | null) {
  const seen: string[] = [];
  const result = await source.read(cursor, { line: (text) => seen.push(JSON.parse(text).unit), value: () => {} });
  return { ...result, seen };
}

describe('a growing JSONL file', () => {
  it('reads only what was appended since the last look, and waits for a partial last line', async () => {
    const path = join(dir, 'events.jsonl');
    writeFileSync(path, lines(0, 3));
    const source = await openEventSource(path);
    const first = await look(source, null);
    expect(first.seen).toEqual(['u0', 'u1', 'u2']);
    appendFileSync(path, line(3) + line(4).slice(0, 20));
    const second = await look(source, first.cursor);
    expect(second.seen).toEqual(['u3']);
    expect(second.bytes).toBe(line(3).length);
    appendFileSync(path, line(4).slice(20));
    const third = await look(source, second.cursor);
    expect(third.seen).toEqual(['u4']);
    expect(third.cursor).toMatchObject({ kind: 'file', offset: lines(0, 5).length });
    expect((await look(source, third.cursor)).seen).toEqual([]);
  });

  it('refuses a file that was truncated or replaced, and one that does not exist', async () => {
    const path = join(dir, 'events.jsonl');
    writeFileSync(path, lines(0, 3));
    const source = await openEventSource(path);
    const { cursor } = await look(source, null);
    truncateSync(path, 10);
    await expect(look(source, cursor)).rejects.toThrow(/has 10 bytes, fewer than the \d+ already read: it was truncated/);
    writeFileSync(join(dir, 'new.jsonl'), lines(0, 5));
    renameSync(join(dir, 'new.jsonl'), path);
    await expect(look(source, cursor)).rejects.toThrow(/is another file than the one read up to byte/);
    await expect(look(source, { kind: 'directory', path: dir, finished: [], current: null, offset: 0 })).rejects.toThrow(`the saved read position is for a directory source, not the file ${path}`);
    const missing = await openEventSource(join(dir, 'none.jsonl'));
    await expect(look(missing, null)).rejects.toBeInstanceOf(SourceError);
    await expect(look(missing, null)).rejects.toThrow(/does not exist/);
  });
});

describe('a growing gzip file', () => {
  it('re-reads from the start and counts only lines past the decompressed position; members appended are read', async () => {
    const path = join(dir, 'events.jsonl.gz');
    writeFileSync(path, gzipSync(lines(0, 3)));
    const source = await openEventSource(path);
    const first = await look(source, null);
    expect(first.seen).toEqual(['u0', 'u1', 'u2']);
    appendFileSync(path, gzipSync(lines(3, 5)));
    const second = await look(source, first.cursor);
    expect(second.seen).toEqual(['u3', 'u4']);
    expect(second.cursor).toMatchObject({ kind: 'gzip', decompressedOffset: lines(0, 5).length });
  });

  it('gives the whole lines of a stream still being written, and refuses one that is corrupt', async () => {
    const path = join(dir, 'events.jsonl.gz');
    const whole = gzipSync(lines(0, 200), { level: 1 });
    writeFileSync(path, whole.subarray(0, whole.length - 20));
    const source = await openEventSource(path);
    const partial = await look(source, null);
    expect(partial.seen.length).toBeGreaterThan(0);
    writeFileSync(path, whole);
    // Same inode: the writer finished the stream.
    const rest = await look(source, partial.cursor);
    expect([...partial.seen, ...rest.seen]).toEqual(Array.from({ length: 200 }, (_, i) => `u${i}`));
    const bad = join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.from('not gzip at all'));
    await expect(look(await openEventSource(bad), null)).rejects.toThrow(/cannot be decompressed/);
  });
});

describe('a directory of hourly files', () => {
  it('reads files in name order, finishes each when a newer one exists (last line without newline included), and follows the newest as it grows', async () => {
    writeFileSync(join(dir, '2026-12-01T00.jsonl'), lines(0, 2));
    writeFileSync(join(dir, '.partial'), 'ignored');
    const source = await openEventSource(dir);
    const first = await look(source, null);
    expect(first.seen).toEqual(['u0', 'u1']);
    expect(first.cursor).toMatchObject({ kind: 'directory', finished: [], current: '2026-12-01T00.jsonl' });
    appendFileSync(join(dir, '2026-12-01T00.jsonl'), line(2).trimEnd());
    writeFileSync(join(dir, '2026-12-01T01.jsonl.gz'), gzipSync(lines(3, 5)));
    writeFileSync(join(dir, '2026-12-01T02.jsonl'), lines(5, 6));
    const second = await look(source, first.cursor);
    expect(second.seen).toEqual(['u2', 'u3', 'u4', 'u5']);
    expect(second.cursor).toMatchObject({ finished: ['2026-12-01T00.jsonl', '2026-12-01T01.jsonl.gz'], current: '2026-12-01T02.jsonl' });
    expect((await look(source, second.cursor)).seen).toEqual([]);
  });

  it('refuses when the file being read disappeared or shrank before it was finished', async () => {
    writeFileSync(join(dir, 'a.jsonl'), lines(0, 2));
    const source = await openEventSource(dir);
    const { cursor } = await look(source, null);
    truncateSync(join(dir, 'a.jsonl'), 10);
    await expect(look(source, cursor)).rejects.toThrow(`events file ${join(dir, 'a.jsonl')} has 10 bytes, fewer than the ${lines(0, 2).length} already read: it was truncated; nothing read`);
    rmSync(join(dir, 'a.jsonl'));
    await expect(look(source, cursor)).rejects.toThrow(/disappeared after \d+ bytes were read/);
  });
});
