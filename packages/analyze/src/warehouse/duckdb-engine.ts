import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnusableInputError } from '../analysis/analyze.js';
import { startsWithGzipMagic } from '../input/read-lines.js';
import type { AnalyzeOptions } from '../analysis/options.js';
import type { AnalysisReport } from '../analysis/report.js';
import { DIALECTS, sqlString } from './dialect.js';
import { analyzeOnSql, type SqlSession } from './sql-tally.js';

/** The one extra install the DuckDB engine needs, as the CLI words it. */
export const DUCKDB_INSTALL_HINT = 'the duckdb engine needs @duckdb/node-api, an optional install: npm install @duckdb/node-api';

/**
 * `@duckdb/node-api` is missing: the CLI prints the message (how to install it) and exits 2.
 *
 * @example
 * ```ts
 * try { await openDuckDb(); } catch (e) { if (e instanceof MissingEngineError) console.error(e.message); }
 * ```
 */
export class MissingEngineError extends Error {
  override name = 'MissingEngineError';
}

type DuckDbModule = typeof import('@duckdb/node-api');

/** Loads `@duckdb/node-api` (`moduleName` for tests), or throws {@link MissingEngineError} saying how to install it. */
export async function loadDuckDb(moduleName = '@duckdb/node-api'): Promise<DuckDbModule> {
  try {
    return (await import(moduleName)) as DuckDbModule;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingEngineError(DUCKDB_INSTALL_HINT);
    throw error;
  }
}

/** DuckDB's memory limit: past it, it spills to disk instead of growing with the export. */
const DUCKDB_MEMORY_LIMIT = '512MB';

/**
 * An in-memory DuckDB as a {@link SqlSession}; `close` frees it.
 *
 * @example
 * ```ts
 * const session = await openDuckDb();
 * try { await session.rows('SELECT 42 AS answer'); } finally { session.close(); }
 * ```
 */
export async function openDuckDb(moduleName?: string): Promise<SqlSession & { close(): void }> {
  const duckdb = await loadDuckDb(moduleName);
  // Bounded memory: DuckDB spills what does not fit (the classified lines grow with the export) to a folder of its own under the system's temp.
  const instance = await duckdb.DuckDBInstance.create(':memory:', { memory_limit: DUCKDB_MEMORY_LIMIT, temp_directory: join(tmpdir(), `bucketry-duckdb-${process.pid}`) });
  const connection = await instance.connect();
  return {
    dialect: DIALECTS.duckdb,
    run: async (sql) => {
      await connection.run(sql);
    },
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
    each: async (sql, use) => {
      const result = await connection.stream(sql);
      for await (const rows of result.yieldRowObjectJs()) for (const row of rows) await use(row);
    },
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Whether the file starts with gzip's magic bytes (as openExport detects gzip: from the bytes, not the name). */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return startsWithGzipMagic(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/**
 * The files a path or glob names, sorted (a glob's files are read one after another, their
 * lines numbered on as if concatenated).
 */
async function expandFiles(session: SqlSession, pattern: string): Promise<string[]> {
  const files = (await session.rows(`SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`)).map((row) => String(row.file));
  if (files.length === 0) throw new UnusableInputError(`cannot read ${pattern}: no such file`);
  return files;
}

/**
 * The query of `line_no`, `line` over export files: JSON lines (gzip or not, from the bytes) read
 * line by line as text, or Parquet with the columns `line_no` and `line` (as `bucketry convert`
 * writes it).
 */
async function exportLinesSource(session: SqlSession, files: readonly string[]): Promise<string> {
  const list = `[${files.map(sqlString).join(', ')}]`;
  if (files.every((file) => file.endsWith('.parquet'))) {
    const columns = new Set((await session.rows(`DESCRIBE SELECT * FROM read_parquet(${list})`)).map((row) => String(row.column_name)));
    if (!columns.has('line') || !columns.has('line_no')) {
      throw new UnusableInputError(`cannot read ${files.join(', ')}: Parquet exports need the columns line_no and line (as bucketry convert writes them); found ${[...columns].join(', ')}`);
    }
    return `SELECT line_no, line FROM read_parquet(${list})`;
  }
  const gzipped = await Promise.all(files.map(isGzip));
  if (gzipped.some((g) => g !== gzipped[0])) throw new UnusableInputError(`cannot read ${files.join(', ')} together: some are gzip, some are not`);
  // One VARCHAR column per line: no delimiter, quote or escape can split a JSON line.
  return `SELECT ordinality AS line_no, line FROM read_csv(${list}, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '',
    header = false, auto_detect = false, new_line = '\\n', strict_mode = false, compression = '${gzipped[0] ? 'gzip' : 'none'}') WITH ORDINALITY`;
}

/**
 * `bucketry analyze --engine duckdb`: the export (a file or a glob of JSON lines, gzip JSON lines
 * or Parquet) analysed in an embedded DuckDB; the report equals the streaming engine's.
 *
 * @example
 * ```ts
 * const report = await analyzeWithDuckDb('exports/day-*.jsonl.gz', { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
 * ```
 */
export async function analyzeWithDuckDb(pattern: string, options: AnalyzeOptions, moduleName?: string): Promise<AnalysisReport> {
  const session = await openDuckDb(moduleName);
  try {
    const files = await expandFiles(session, pattern);
    return await analyzeOnSql(session, await exportLinesSource(session, files), options);
  } finally {
    session.close();
  }
}

/**
 * `bucketry convert <export.jsonl[.gz]> <out.parquet>`: the export's lines, numbered, into a
 * zstd-compressed Parquet file that `--engine duckdb` reads (the same report, line numbers and
 * all). Resolves with the number of lines written.
 *
 * @example
 * ```ts
 * const lines = await convertToParquet('exposures.jsonl.gz', 'exposures.parquet');
 * ```
 */
export async function convertToParquet(pattern: string, out: string, moduleName?: string): Promise<number> {
  if (!out.endsWith('.parquet')) throw new UnusableInputError(`cannot write ${out}: the output must be a .parquet file`);
  const session = await openDuckDb(moduleName);
  try {
    const files = await expandFiles(session, pattern);
    if (files.every((file) => file.endsWith('.parquet'))) throw new UnusableInputError(`${pattern} is Parquet already`);
    const source = await exportLinesSource(session, files);
    await session.run(`COPY (${source}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd)`);
    const [written] = await session.rows(`SELECT COUNT(*) AS n FROM read_parquet(${sqlString(out)})`);
    return Number(written!.n);
  } finally {
    session.close();
  }
}
