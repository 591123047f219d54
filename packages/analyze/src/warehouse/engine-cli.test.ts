import { describe, expect, it } from 'vitest';
import { cliSandbox } from '../cli/cli-sandbox.test-helper.js';
import { MIXED_EXPORT } from './mixed-export.test-helper.js';

const { run, write } = cliSandbox();
const FLAGS = ['--experiment', 'skill_tree_layout', '--expected-variant', 'tree', '--expected-variant', 'list', '--metric', 'skill_unlocked', '--format', 'json'];

describe('bucketry analyze --engine', () => {
  it('duckdb prints the report the streaming engine prints, with the same exit code', async () => {
    const file = write('mixed.jsonl', MIXED_EXPORT);
    const streaming = await run(['analyze', file, ...FLAGS]);
    const duckdb = await run(['analyze', file, ...FLAGS, '--engine', 'duckdb']);
    expect(JSON.parse(duckdb.stdout)).toEqual(JSON.parse(streaming.stdout));
    expect(duckdb.code).toBe(streaming.code);
  }, 60_000);

  it('refuses an unknown engine, and postgres without --db and --table, with exit 2', async () => {
    const unknown = await run(['analyze', 'x.jsonl', ...FLAGS, '--engine', 'sqlite']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--engine');
    const postgres = await run(['analyze', ...FLAGS, '--engine', 'postgres']);
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain('--engine postgres needs --db postgres://… and --table');
  });

  it('says which option the SQL engines do not tally yet (exit 2)', async () => {
    const file = write('segments.jsonl', MIXED_EXPORT);
    const result = await run(['analyze', file, ...FLAGS, '--engine', 'duckdb', '--segment', 'country']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('bucketry analyze: option segments is set, which the SQL engines do not tally yet; run without --engine (the streaming engine) for them\n');
  }, 60_000);
});
