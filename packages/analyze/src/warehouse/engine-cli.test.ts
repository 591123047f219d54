import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuckDb } from './duckdb-engine.js';
import { cliSandbox } from '../cli/cli-sandbox.test-helper.js';
import { MIXED_EXPORT } from './mixed-export.test-helper.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const { dir, run, write } = cliSandbox();
const FLAGS = ['--experiment', 'skill_tree_layout', '--expected-variant', 'tree', '--expected-variant', 'list', '--metric', 'skill_unlocked', '--format', 'json'];

describe('bucketry analyze --engine', () => {
  it('duckdb prints the report the streaming engine prints, with the same exit code', async () => {
    const file = write('mixed.jsonl', MIXED_EXPORT);
    const streaming = await run(['analyze', file, ...FLAGS]);
    const duckdb = await run(['analyze', file, ...FLAGS, '--engine', 'duckdb']);
    expect(JSON.parse(duckdb.stdout)).toEqual(JSON.parse(streaming.stdout));
    expect(duckdb.code).toBe(streaming.code);
  });

  it('refuses an unknown engine, and postgres without --db and --table, with exit 2', async () => {
    const unknown = await run(['analyze', 'x.jsonl', ...FLAGS, '--engine', 'sqlite']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('bucketry analyze: --engine "sqlite": must be streaming, duckdb or postgres\n');
    const postgres = await run(['analyze', ...FLAGS, '--engine', 'postgres']);
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain('--engine postgres needs --db postgres://… and --table');
  });

  it('says which option the SQL engines do not tally yet (exit 2)', async () => {
    const file = write('segments.jsonl', MIXED_EXPORT);
    const result = await run(['analyze', file, ...FLAGS, '--engine', 'duckdb', '--segment', 'country']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('bucketry analyze: option segments is set, which the SQL engines do not tally yet; run without --engine (the streaming engine) for them\n');
  });
});

describe('bucketry convert', () => {
  it('writes Parquet that --engine duckdb analyses to the streaming report, bad lines by their numbers', async () => {
    const file = write('to-convert.jsonl', MIXED_EXPORT);
    const converted = await run(['convert', file, 'out/export.parquet']);
    expect(converted).toEqual({ code: 0, stdout: '', stderr: `${MIXED_EXPORT.length} lines written to out/export.parquet\n` });
    const streaming = await run(['analyze', file, ...FLAGS]);
    const parquet = await run(['analyze', 'out/export.parquet', ...FLAGS, '--engine', 'duckdb']);
    expect(JSON.parse(parquet.stdout)).toEqual(JSON.parse(streaming.stdout));
  });

  it('refuses an output that is not .parquet, and Parquet without line_no and line', async () => {
    const file = write('x.jsonl', MIXED_EXPORT);
    const wrong = await run(['convert', file, 'x.csv']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('the output must be a .parquet file');
    const session = await openDuckDb();
    await session.run(`COPY (SELECT 1 AS event) TO '${join(dir, 'other.parquet')}' (FORMAT parquet)`);
    session.close();
    const other = await run(['analyze', 'other.parquet', ...FLAGS, '--engine', 'duckdb']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('Parquet exports need the columns line_no and line (as bucketry convert writes them); found event');
  });
});
