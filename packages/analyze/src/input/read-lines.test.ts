import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, readLines } from './read-lines.js';

async function collect(chunks: (string | Buffer)[]) {
  const lines: [number, string][] = [];
  const tooLong: number[] = [];
  const count = await readLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), {
    line: (text, n) => lines.push([n, text]),
    tooLong: (n) => tooLong.push(n),
  });
  return { lines, tooLong, count };
}

describe('readLines', () => {
  it('splits across chunk boundaries, strips \\r\\n, and keeps a last line without a newline', async () => {
    const { lines, count } = await collect(['{"a":1}\r\n{"b', '":2}\n\n', '{"c":3}']);
    expect(lines).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
      [3, ''],
      [4, '{"c":3}'],
    ]);
    expect(count).toBe(4);
  });

  it('keeps multi-byte characters that straddle chunks', async () => {
    const bytes = Buffer.from('{"u":"żółw"}\n');
    const { lines } = await collect([bytes.subarray(0, 8), bytes.subarray(8)]);
    expect(lines).toEqual([[1, '{"u":"żółw"}']]);
  });

  it('decompresses gzip detected by its magic bytes', async () => {
    const packed = gzipSync('line one\nline two\n');
    const { lines } = await collect([packed.subarray(0, 5), packed.subarray(5)]);
    expect(lines).toEqual([
      [1, 'line one'],
      [2, 'line two'],
    ]);
  });

  it('reports and skips a line longer than the limit, then goes on', async () => {
    const long = 'x'.repeat(MAX_LINE_BYTES + 10);
    const { lines, tooLong } = await collect(['first\n', long.slice(0, MAX_LINE_BYTES / 2), long.slice(MAX_LINE_BYTES / 2), '\nlast\n']);
    expect(tooLong).toEqual([2]);
    expect(lines).toEqual([
      [1, 'first'],
      [3, 'last'],
    ]);
  });

  it('reports a long line that ends in the chunk that pushes it over the limit', async () => {
    const { lines, tooLong } = await collect(['a\n' + 'x'.repeat(MAX_LINE_BYTES - 5), 'y'.repeat(10) + '\nb\n']);
    expect(tooLong).toEqual([2]);
    expect(lines).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
  });

  it('decodes UTF-8 and plain ASCII runs alike', async () => {
    const { lines } = await collect(['plain\n', 'ünïcödé\n', 'plain again']);
    expect(lines.map(([, text]) => text)).toEqual(['plain', 'ünïcödé', 'plain again']);
  });

  it('reads nothing from an empty stream', async () => {
    expect((await collect([])).count).toBe(0);
  });

  it('rejects on corrupt gzip', async () => {
    const packed = gzipSync('a\n'.repeat(100));
    packed[15] = packed[15]! ^ 0xff;
    await expect(collect([packed])).rejects.toThrow();
  });
});
