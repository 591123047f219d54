import type { AnalyzeOptions } from '../analysis/options.js';
import type { AnalysisReport } from '../analysis/report.js';
import { DIALECTS, POSTGRES_SETUP } from './dialect.js';
import { MissingEngineError } from './duckdb-engine.js';
import { analyzeOnSql, type SqlSession } from './sql-tally.js';

/** The install the PostgreSQL engine needs, as the CLI words it. */
const PG_INSTALL_HINT = 'the postgres engine needs pg, an optional install: npm install pg';

/** A table name as `name` or `schema.name` (letters, digits, underscores): it goes into SQL as is. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * Checks `--table`: the name of a table with the export's lines (`line_no bigint`, `line text`).
 *
 * @example
 * ```ts
 * checkTableName('exports.events'); // fine; 'events; drop' throws
 * ```
 */
export function checkTableName(table: string): string {
  if (!TABLE_NAME.test(table)) throw new Error(`--table is ${JSON.stringify(table)}: must be name or schema.name (letters, digits, _)`);
  return table;
}

/**
 * `bucketry analyze --engine postgres --db <url> --table <t>`: the export's lines, loaded in
 * the table `table` (columns `line_no`, `line`), analysed in PostgreSQL; the report equals the
 * streaming engine's on the same lines. Temporary tables and functions only: nothing is written
 * to the database.
 *
 * @example
 * ```ts
 * const report = await analyzeWithPostgres('postgres://postgres@127.0.0.1:5432/test', 'exports.events', { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
 * ```
 */
export async function analyzeWithPostgres(url: string, table: string, options: AnalyzeOptions): Promise<AnalysisReport> {
  let pg: typeof import('pg');
  try {
    pg = (await import('pg')).default as unknown as typeof import('pg');
  } catch {
    throw new MissingEngineError(PG_INSTALL_HINT);
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const session: SqlSession = {
      dialect: DIALECTS.postgres,
      run: async (sql) => {
        await client.query(sql);
      },
      rows: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
    };
    for (const statement of POSTGRES_SETUP) await session.run(statement);
    return await analyzeOnSql(session, `SELECT line_no, line FROM ${checkTableName(table)}`, options);
  } finally {
    await client.end();
  }
}
