import { fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES, FileChunks } from './file-chunks.js';
import { InputError } from './input-error.js';
import { openExportFile } from './open-export.js';
import { MAX_LINE_BYTES, readLineBlocks, readLines } from './read-lines.js';

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

  it('skips a UTF-8 byte order mark at the start, even split over chunks, and only there', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { lines } = await collect([bom.subarray(0, 1), bom.subarray(1, 2), Buffer.concat([bom.subarray(2), Buffer.from('{"a":1}\n')]), '\uFEFF{"b":2}\n']);
    expect(lines).toEqual([
      [1, '{"a":1}'],
      [2, '\uFEFF{"b":2}'],
    ]);
    // A short input is checked too: a BOM and one line without a newline.
    expect((await collect([Buffer.concat([bom, Buffer.from('{}')])])).lines).toEqual([[1, '{}']]);
  });

  it('skips the byte order mark of a gzip file once decompressed', async () => {
    const { lines } = await collect([gzipSync(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n')]))]);
    expect(lines).toEqual([[1, '{"a":1}']]);
  });

  it('rejects UTF-16 input, with or without a byte order mark, naming it and the conversion', async () => {
    const text = '{"event":"experiment_exposure"}\n'.repeat(3);
    await expect(collect([Buffer.from('\uFEFF' + text, 'utf16le')])).rejects.toThrow(
      new InputError('the input is UTF-16LE text (byte order mark FF FE), not UTF-8: convert it first, e.g. iconv -f UTF-16LE -t UTF-8 export.jsonl > export-utf8.jsonl'),
    );
    await expect(collect([gzipSync(Buffer.from(text, 'utf16le'))])).rejects.toThrow(/^the input is UTF-16LE text \(NUL bytes between its characters, no byte order mark\)/);
    await expect(collect([Buffer.from(text, 'utf16le').swap16()])).rejects.toBeInstanceOf(InputError);
  });

  it('reads nothing from an empty stream', async () => {
    expect((await collect([])).count).toBe(0);
  });

  it("rejects on corrupt or truncated gzip with zlib's error (the analysis tells a Z_ code apart)", async () => {
    const packed = gzipSync('a\n'.repeat(100));
    await expect(collect([packed.subarray(0, 20)])).rejects.toMatchObject({ code: 'Z_BUF_ERROR' });
    packed[15] = packed[15]! ^ 0xff;
    await expect(collect([packed])).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });
});

describe('reading export files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bucketry-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Lines of many lengths, so that some straddle every chunk boundary; non-ASCII ones too.
  const lines = Array.from({ length: 30_000 }, (_, i) => `{"n":${i},"pad":"${(i % 7 === 0 ? 'ü' : 'x').repeat((i * 37) % 90)}"}`);
  const text = lines.join('\n') + '\n';

  async function linesOf(source: Parameters<typeof readLines>[0]) {
    const seen: string[] = [];
    await readLines(source, { line: (line) => seen.push(line) });
    return seen;
  }

  it('reads a plain file in chunks, and a gzip file as a stream, into the same lines', async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * FILE_CHUNK_BYTES);
    writeFileSync(join(dir, 'plain.jsonl'), text);
    writeFileSync(join(dir, 'packed.jsonl'), gzipSync(text)); // gzip whatever the name
    const plain = await openExportFile(join(dir, 'plain.jsonl'));
    expect(plain).toBeInstanceOf(FileChunks);
    expect(await linesOf(plain)).toEqual(lines);
    expect(plain.bytesRead).toBe(Buffer.byteLength(text));
    expect(await linesOf(await openExportFile(join(dir, 'packed.jsonl')))).toEqual(lines);
  });

  it('hands on whole lines only, in blocks that end at a newline', async () => {
    writeFileSync(join(dir, 'blocks.jsonl'), text.slice(0, -1)); // the last line without its newline
    const blocks: string[] = [];
    await readLineBlocks(await openExportFile(join(dir, 'blocks.jsonl')), { block: (bytes) => void blocks.push(bytes.toString()) });
    expect(blocks.length).toBeGreaterThan(4);
    expect(blocks.slice(0, -1).every((block) => block.endsWith('\n'))).toBe(true);
    expect(blocks.join('')).toBe(text.slice(0, -1));
  });

  it('closes the file when the reader stops early', async () => {
    writeFileSync(join(dir, 'early.jsonl'), text);
    const fd = openSync(join(dir, 'early.jsonl'), 'r');
    for await (const chunk of new FileChunks(fd)) {
      expect(chunk.length).toBe(FILE_CHUNK_BYTES);
      break;
    }
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });
});
