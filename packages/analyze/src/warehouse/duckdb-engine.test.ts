import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeStream } from '../analysis/analyze.js';
import { streamOf } from '../analysis/hand-written-export.test-helper.js';
import { MIXED_EXPORT as MIXED, MIXED_OPTIONS as OPTIONS } from './mixed-export.test-helper.js';
import type { AnalyzeOptions } from '../analysis/options.js';
import { analyzeWithDuckDb, DUCKDB_INSTALL_HINT, loadDuckDb, MissingEngineError } from './duckdb-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'bucketry-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bothEngines(name: string, lines: readonly string[], options: AnalyzeOptions, write: (path: string, text: string) => void = writeFileSync) {
  const text = lines.join('\n') + '\n';
  const path = join(dir, name);
  write(path, text);
  const streaming = await analyzeStream(streamOf(text), options);
  const duckdb = await analyzeWithDuckDb(path, options);
  return { streaming, duckdb };
}

describe('bucketry analyze --engine duckdb', () => {
  it('gives the streaming report, field by field, on mixed Segment, Amplitude and Bucketry lines with bad lines', async () => {
    const { streaming, duckdb } = await bothEngines('mixed.jsonl', MIXED, OPTIONS);
    expect(duckdb.input.badLines.count).toBeGreaterThan(5);
    expect(duckdb).toEqual(streaming);
  }, 60_000);

  it('reads gzip JSON lines (found from the bytes) and filters by config version', async () => {
    const options = { ...OPTIONS, configVersion: 'v1' };
    const { streaming, duckdb } = await bothEngines('mixed.data', MIXED, options, (path, text) => writeFileSync(path, gzipSync(text)));
    expect(duckdb.input.otherVersionExposures).toBeGreaterThan(0);
    expect(duckdb).toEqual(streaming);
  }, 60_000);

  it('says how to install @duckdb/node-api when it is missing', async () => {
    await expect(loadDuckDb('@duckdb/not-installed-here')).rejects.toThrow(MissingEngineError);
    await expect(loadDuckDb('@duckdb/not-installed-here')).rejects.toThrow(DUCKDB_INSTALL_HINT);
  });
});
