import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeStream } from '../analysis/analyze.js';
import { simulateExport } from '../simulate/simulate.js';
import { SKILL_TREE, streamOf } from '../analysis/hand-written-export.test-helper.js';
import { MIXED_EXPORT as MIXED, MIXED_OPTIONS as OPTIONS } from './mixed-export.test-helper.js';
import type { AnalyzeOptions } from '../analysis/options.js';
import { parseGuardrailSpec } from '../policy/guardrail-spec.js';
import { analyzeWithDuckDb, DUCKDB_INSTALL_HINT, loadDuckDb, MissingEngineError } from './duckdb-engine.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const SAMPLE = fileURLToPath(new URL('../../../../docs/experiments/sample_data/skill_tree_layout_sample.jsonl', import.meta.url));
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
    expect(duckdb.durations.length).toBe(2);
    expect(duckdb.input.unattributedDurations).toBeGreaterThan(2);
    expect(duckdb).toEqual(streaming);
  });

  it('reads gzip JSON lines (found from the bytes) and filters by config version', async () => {
    const options = { ...OPTIONS, configVersion: 'v1' };
    const { streaming, duckdb } = await bothEngines('mixed.data', MIXED, options, (path, text) => writeFileSync(path, gzipSync(text)));
    expect(duckdb.input.otherVersionExposures).toBeGreaterThan(0);
    expect(duckdb).toEqual(streaming);
  });

  it('gives the streaming report on the repo\'s sample export and on simulated Segment and Amplitude exports (mixed units, SRM)', async () => {
    const sample = readFileSync(SAMPLE, 'utf8').split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
    const options: AnalyzeOptions = { ...SKILL_TREE, metrics: ['skill_unlocked'], weights: [50, 50] };
    const fromSample = await bothEngines('sample.jsonl', sample, options);
    expect(fromSample.duckdb.durations.length).toBeGreaterThan(0);
    expect(fromSample.duckdb).toEqual(fromSample.streaming);
    for (const format of ['segment', 'amplitude'] as const) {
      const lines = [...simulateExport({ users: 3000, rollout: 50, seed: 7, format, mixedUnits: 20, srm: format === 'amplitude' })];
      const { streaming, duckdb } = await bothEngines(`simulated-${format}.jsonl`, lines, { ...SKILL_TREE, metrics: ['skill_unlocked'] });
      expect(duckdb.mixedUnits).toBeGreaterThan(0);
      expect(duckdb).toEqual(streaming);
    }
  });

  it('measures a rate guardrail as the streaming engine does (the SQL tally counted no tracked events, so an error rate was "not measured" and PROCEED beside the streaming HOLD)', async () => {
    const lines = [...simulateExport({ users: 2062, rollout: 10, seed: 1, noise: 2 })];
    const options: AnalyzeOptions = { ...SKILL_TREE, guardrails: [parseGuardrailSpec('rate:skill_tree_error:2%:5%')] };
    const { streaming, duckdb } = await bothEngines('rate-guardrail.jsonl', lines, options);
    expect(streaming.guardrails[0]!.measured).toBe(true);
    expect(streaming.guardrails[0]!.outcome).toBe('hold');
    expect(duckdb).toEqual(streaming);
  });

  it('reads a glob of files as one export, lines numbered on across them', async () => {
    const half = Math.floor(MIXED.length / 2);
    writeFileSync(join(dir, 'part-1.jsonl'), MIXED.slice(0, half).join('\n') + '\n');
    writeFileSync(join(dir, 'part-2.jsonl'), MIXED.slice(half).join('\n') + '\n');
    const streaming = await analyzeStream(streamOf(MIXED.join('\n') + '\n'), OPTIONS);
    expect(await analyzeWithDuckDb(join(dir, 'part-*.jsonl'), OPTIONS)).toEqual(streaming);
  });

  it('says how to install @duckdb/node-api when it is missing', async () => {
    await expect(loadDuckDb('@duckdb/not-installed-here')).rejects.toThrow(MissingEngineError);
    await expect(loadDuckDb('@duckdb/not-installed-here')).rejects.toThrow(DUCKDB_INSTALL_HINT);
  });
});
