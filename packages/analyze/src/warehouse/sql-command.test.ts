import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeStream } from '../analysis/analyze.js';
import { streamOf } from '../analysis/hand-written-export.test-helper.js';
import { cliSandbox } from '../cli/cli-sandbox.test-helper.js';
import { simulateExport } from '../simulate/simulate.js';
import { openDuckDb } from './duckdb-engine.js';
import { WAREHOUSE_DIALECT_NAMES } from './warehouse-dialects.js';
import { warehouseQuery, type EventsTable } from './warehouse-query.js';
import { POSTGRES_URL, uniqueName } from '../../../../test-support/postgres-kit.js';
import { useSlowTestTimeouts } from '../../../../test-support/slow-tests.js';

useSlowTestTimeouts();

const { dir, run } = cliSandbox();
const golden = (dialect: string) => new URL(`./golden/${dialect}.sql`, import.meta.url);
const FLAGS = ['--experiment', 'skill_tree_layout', '--expected-variant', 'tree', '--expected-variant', 'list', '--metric', 'skill_unlocked', '--table', 'analytics.events', '--duration-path', 'duration_ms'];

describe('bucketry sql', () => {
  it.each(WAREHOUSE_DIALECT_NAMES)('prints the golden %s query', async (dialect) => {
    const { code, stdout } = await run(['sql', '--dialect', dialect, ...FLAGS]);
    expect(code).toBe(0);
    if (process.env.BUCKETRY_UPDATE_GOLDEN === '1') writeFileSync(golden(dialect), stdout);
    expect(stdout).toBe(readFileSync(golden(dialect), 'utf8'));
  });

  it('takes the table and columns from --config, flags over it', async () => {
    writeFileSync(`${dir}/warehouse.json`, JSON.stringify({ table: 'raw.tracks', columns: { unit: 'anonymous_id', time: 'sent_at' }, variantPath: 'arm' }));
    const { stdout } = await run(['sql', '--dialect', 'snowflake', ...FLAGS.slice(0, 8), '--config', 'warehouse.json', '--columns', 'time=received_at']);
    expect(stdout).toContain('FROM raw.tracks');
    expect(stdout).toContain('TO_VARCHAR(anonymous_id) AS unit');
    expect(stdout).toContain('MIN(received_at) AS first_exposure');
    expect(stdout).toContain('properties:"arm"::string AS variant');
  });

  it('refuses an unknown dialect, a missing table, a column that is no identifier and a --config that is no JSON object (exit 2, naming it)', async () => {
    expect(await run(['sql', '--dialect', 'oracle', ...FLAGS])).toMatchObject({ code: 2, stderr: 'bucketry sql: --dialect "oracle": must be duckdb, postgres, bigquery, snowflake or clickhouse\n' });
    expect((await run(['sql', '--dialect', 'duckdb', ...FLAGS.slice(0, 8)])).stderr).toContain('--table is missing');
    const bad = await run(['sql', '--dialect', 'duckdb', ...FLAGS, '--columns', 'unit=user_id; DROP TABLE x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unit is "user_id; DROP TABLE x": must be an identifier');
    expect(await run(['sql', '--dialect', 'duckdb', ...FLAGS, '--config', 'missing.json'])).toMatchObject({ code: 2, stderr: 'bucketry sql: --config missing.json: no such file\n' });
    // analyze's flags that the query does not read are unknown here, not ignored.
    for (const flag of ['--threads', '--format', '--engine', '--segment', '--config-version']) {
      expect(await run(['sql', '--dialect', 'duckdb', ...FLAGS, flag, 'x'])).toMatchObject({ code: 2, stderr: `bucketry sql: unknown flag ${flag} for bucketry sql (see bucketry sql --help)\n` });
    }
    writeFileSync(`${dir}/list.json`, '["raw.tracks"]');
    expect(await run(['sql', '--dialect', 'duckdb', ...FLAGS, '--config', 'list.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--config list.json: must be a JSON object with any of table, columns') });
    writeFileSync(`${dir}/broken.json`, '{"table":');
    expect(await run(['sql', '--dialect', 'duckdb', ...FLAGS, '--config', 'broken.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--config broken.json: not valid JSON (') });
  });
});

// The query shape run for real: a simulated export loaded as an events table, on DuckDB and PostgreSQL, against the streaming report.
const SIMULATED = [...simulateExport({ users: 1500, rollout: 50, seed: 11, mixedUnits: 15 })];
/** A unit exposed that never unlocks a skill gets one unlock before its exposure: not a conversion; and a long duration before it, which no quantile takes. */
const unitOf = (line: string) => (JSON.parse(line) as { userId?: string; anonymousId?: string }).userId ?? (JSON.parse(line) as { anonymousId?: string }).anonymousId;
const converters = new Set(SIMULATED.filter((line) => line.includes('"skill_unlocked"')).map(unitOf));
const early = SIMULATED.filter((line) => line.includes('"experiment_exposure"')).map(unitOf).filter((unit) => !converters.has(unit)).slice(0, 5);
const LINES = [
  ...early.map((unit) => JSON.stringify({ type: 'track', event: 'skill_unlocked', userId: unit, properties: {}, timestamp: '2025-05-01T00:00:00.000Z' })),
  ...early.map((unit) => JSON.stringify({ type: 'track', event: 'skill_tree_loaded', userId: unit, properties: { duration_ms: 1e7 }, timestamp: '2025-05-01T00:00:00.000Z' })),
  ...SIMULATED,
];
const ROWS = LINES.map((line) => JSON.parse(line) as { userId?: string; anonymousId?: string; timestamp: string; event: string; properties: Record<string, unknown> });
const OPTIONS = { experiment: 'skill_tree_layout', variants: ['tree', 'list'], metrics: ['skill_unlocked'] };
const TABLE = (name: string): EventsTable => ({ table: name, unit: 'user_id', time: 'ts', event: 'event', properties: 'properties', experimentPath: 'experiment', variantPath: 'variant', durationPath: 'duration_ms' });
const values = (quote: (s: string) => string, json: string) =>
  ROWS.map((r) => `(${quote((r.userId ?? r.anonymousId)!)}, ${quote(r.timestamp)}::timestamp, ${quote(r.event)}, ${quote(JSON.stringify(r.properties ?? {}))}::${json})`).join(',\n');
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Per variant, the durations (duration_ms) of units exposed to it alone, at or after their first exposure: what the query's quantiles are taken over. */
function durationsByVariant(): Map<string, number[]> {
  const exposures = new Map<string, { first: string; variants: Set<string> }>();
  for (const r of ROWS) {
    const variant = r.properties.variant as string;
    if (r.event !== 'experiment_exposure' || r.properties.experiment !== 'skill_tree_layout' || !OPTIONS.variants.includes(variant)) continue;
    const unit = (r.userId ?? r.anonymousId)!;
    const seen = exposures.get(unit) ?? { first: r.timestamp, variants: new Set<string>() };
    seen.variants.add(variant);
    if (r.timestamp < seen.first) seen.first = r.timestamp;
    exposures.set(unit, seen);
  }
  const byVariant = new Map<string, number[]>(OPTIONS.variants.map((v) => [v, []]));
  for (const r of ROWS) {
    const exposure = exposures.get((r.userId ?? r.anonymousId)!);
    if (typeof r.properties.duration_ms !== 'number' || exposure === undefined || exposure.variants.size !== 1 || r.timestamp < exposure.first) continue;
    byVariant.get([...exposure.variants][0]!)!.push(r.properties.duration_ms);
  }
  return byVariant;
}

/** The `q` quantile with linear interpolation between order statistics, as PostgreSQL's percentile_cont. */
function percentileCont(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const low = Math.floor(h);
  return sorted[low]! + (h - low) * ((sorted[low + 1] ?? sorted[low]!) - sorted[low]!);
}

/** `relative`: how far an approximate quantile may be from the exact one (0 for PostgreSQL's exact percentile_cont). */
async function expectStreamingCounts(rows: Record<string, unknown>[], relative: number) {
  const report = await analyzeStream(streamOf(LINES.join('\n') + '\n'), OPTIONS);
  const byVariant = new Map(rows.map((row) => [String(row.variant), row]));
  for (const v of report.variants) expect(Number(byVariant.get(v.name)!.units)).toBe(v.units);
  expect(Number(byVariant.get('(several variants)')!.units)).toBe(report.mixedUnits);
  for (const v of report.metrics[0]!.variants) expect(Number(byVariant.get(v.name)!.converted_0)).toBe(v.conversions);
  expect(report.mixedUnits).toBeGreaterThan(0);
  for (const [variant, durations] of durationsByVariant()) {
    expect(durations.length).toBeGreaterThan(100);
    for (const [column, q] of [['duration_p50', 0.5], ['duration_p95', 0.95]] as const) {
      const exact = percentileCont(durations, q);
      const got = Number(byVariant.get(variant)![column]);
      if (relative === 0) expect(got).toBeCloseTo(exact, 6);
      else expect(Math.abs(got / exact - 1)).toBeLessThan(relative);
    }
  }
}

describe('the query shape, run', () => {
  it('on DuckDB gives the streaming report\'s units, units in several variants and conversions, and the duration quantiles', async () => {
    const session = await openDuckDb();
    try {
      await session.run(`CREATE TABLE events (user_id VARCHAR, ts TIMESTAMP, event VARCHAR, properties JSON)`);
      await session.run(`INSERT INTO events VALUES ${values(quote, 'JSON')}`);
      await expectStreamingCounts(await session.rows(warehouseQuery('duckdb', TABLE('events'), OPTIONS)), 0.02);
    } finally {
      session.close();
    }
  });

  describe('on PostgreSQL', () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    const schema = uniqueName('bucketry_sql_query');
    beforeAll(async () => {
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
    });
    afterAll(async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    });
    it('gives the streaming report\'s units, units in several variants and conversions, and the exact duration quantiles', async () => {
      await client.query(`CREATE TABLE ${schema}.events (user_id text, ts timestamp, event text, properties jsonb)`);
      await client.query(`INSERT INTO ${schema}.events VALUES ${values(quote, 'jsonb')}`);
      await expectStreamingCounts((await client.query(warehouseQuery('postgres', TABLE(`${schema}.events`), OPTIONS))).rows, 0);
    });
  });
});
