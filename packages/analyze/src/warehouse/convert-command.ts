import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseFlags } from '../cli/flags.js';
import { EXIT, printHelp, UsageError, type CliIo } from '../cli/io.js';
import { convertToParquet } from './duckdb-engine.js';

export const CONVERT_HELP = `Usage: bucketry convert <export.jsonl[.gz] | glob> <out.parquet>

Writes the export's lines, numbered, to a Parquet file (zstd) with DuckDB, for
bucketry analyze --engine duckdb <out.parquet> (the same report, bad lines by their line numbers).
Needs the optional install: npm install @duckdb/node-api

Exit codes: 0 written, 2 unusable input or bad flags.`;

/** `bucketry convert`: exit 0 when written, 2 when it cannot. */
export async function convertCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('convert', args, { help: { type: 'boolean', short: 'h' } } as const, 2);
  if (values.help) return printHelp(io, CONVERT_HELP);
  const [input, out] = positionals;
  if (input === undefined || out === undefined) throw new UsageError('convert needs an export and an output file: bucketry convert <export.jsonl[.gz]> <out.parquet>');
  const outPath = resolve(io.cwd, out);
  if (outPath.endsWith('.parquet')) await mkdir(dirname(outPath), { recursive: true });
  const lines = await convertToParquet(resolve(io.cwd, input), outPath);
  io.stderr.write(`${lines} lines written to ${out}\n`);
  return EXIT.healthy;
}
