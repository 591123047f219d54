import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStream } from '../analysis/analyze.js';
import { streamOf } from '../analysis/hand-written-export.test-helper.js';
import type { AnalyzeOptions } from '../analysis/options.js';
import { MIXED_EXPORT, MIXED_OPTIONS } from './mixed-export.test-helper.js';
import { analyzeWithPostgres, checkTableName } from './postgres-engine.js';
import { POSTGRES_URL, uniqueName } from '../../../../test-support/postgres-kit.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const SCHEMA = uniqueName('bucketry_pg_engine');
const client = new pg.Client({ connectionString: POSTGRES_URL });

beforeAll(async () => {
  await client.connect();
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
});
afterAll(async () => {
  await client.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await client.end();
});

/** Loads the lines into SCHEMA.name as (line_no, line), as a team would load an export. */
async function load(name: string, lines: readonly string[]): Promise<string> {
  const table = `${SCHEMA}.${name}`;
  await client.query(`CREATE TABLE ${table} (line_no bigint PRIMARY KEY, line text)`);
  await client.query(`INSERT INTO ${table} SELECT ordinality, line FROM unnest($1::text[]) WITH ORDINALITY AS t(line, ordinality)`, [lines]);
  return table;
}

async function bothEngines(name: string, lines: readonly string[], options: AnalyzeOptions) {
  const table = await load(name, lines);
  return { streaming: await analyzeStream(streamOf(lines.join('\n') + '\n'), options), postgres: await analyzeWithPostgres(POSTGRES_URL, table, options) };
}

describe('bucketry analyze --engine postgres (the real PostgreSQL, test-support/postgres-kit.ts)', () => {
  it('gives the streaming report, field by field, on mixed Segment, Amplitude and Bucketry lines with bad lines', async () => {
    const { streaming, postgres } = await bothEngines('mixed', MIXED_EXPORT, MIXED_OPTIONS);
    expect(postgres.input.badLines.count).toBeGreaterThan(5);
    expect(postgres).toEqual(streaming);
  });

  it('filters by config version as the streaming engine does', async () => {
    const options = { ...MIXED_OPTIONS, configVersion: 'v1' };
    const { streaming, postgres } = await bothEngines('versions', MIXED_EXPORT, options);
    expect(postgres.input.otherVersionExposures).toBeGreaterThan(0);
    expect(postgres).toEqual(streaming);
  });

  it('refuses a table name that is not a plain identifier', () => {
    expect(() => checkTableName('events; DROP TABLE x')).toThrow('--table is "events; DROP TABLE x": must be name or schema.name');
  });
});
