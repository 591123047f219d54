import { resolve } from 'node:path';
import type { AnalyzeOptions } from '../analysis/options.js';
import type { AnalysisReport } from '../analysis/report.js';
import { UsageError } from '../cli/io.js';
import { analyzeWithDuckDb } from './duckdb-engine.js';
import { analyzeWithPostgres } from './postgres-engine.js';

/** `bucketry analyze`'s engine flags, as its help lists them. */
export const ENGINE_HELP = `  --engine <name>             streaming (default, no install), duckdb (needs npm install
                              @duckdb/node-api; the input may be a glob, gzip JSON lines or Parquet)
                              or postgres (needs npm install pg; with --db and --table)
  --db <url>                  postgres://… for --engine postgres
  --table <schema.name>       the table of export lines (line_no bigint, line text) for --engine postgres`;

export const ENGINE_FLAGS = {
  engine: { type: 'string' },
  db: { type: 'string' },
  table: { type: 'string' },
} as const;

export const ENGINES = ['streaming', 'duckdb', 'postgres'] as const;

/**
 * The report of `bucketry analyze --engine duckdb|postgres`: the input file or glob for duckdb
 * (relative to `cwd`), `--db` and `--table` for postgres.
 *
 * @example
 * ```ts
 * const report = await analyzeOnEngine('duckdb', 'exports/*.jsonl.gz', {}, options, process.cwd());
 * ```
 */
export async function analyzeOnEngine(
  engine: 'duckdb' | 'postgres',
  input: string | undefined,
  values: { readonly db?: string | undefined; readonly table?: string | undefined },
  options: AnalyzeOptions,
  cwd: string,
): Promise<AnalysisReport> {
  if (engine === 'postgres') {
    if (values.db === undefined || values.table === undefined) throw new UsageError('--engine postgres needs --db postgres://… and --table <schema.name> (the export lines: line_no bigint, line text)');
    return analyzeWithPostgres(values.db, values.table, options);
  }
  if (input === undefined || input === '-') throw new UsageError('--engine duckdb reads files: give an export file or a glob (stdin is for the streaming engine)');
  return analyzeWithDuckDb(resolve(cwd, input), options);
}
