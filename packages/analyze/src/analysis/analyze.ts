import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { openExportFile, readLineBlocks } from '../input/read-lines.js';
import { ExportAccumulator, type BadLineListener } from './accumulator.js';
import { resolveOptions, type AnalyzeOptions } from './options.js';
import { buildReport, type AnalysisReport } from './report.js';

/**
 * The input cannot be analysed: it is missing, unreadable, or holds no exposure of the experiment.
 * The CLI exits 2 on it.
 *
 * @example
 * ```ts
 * try {
 *   await analyzeFile('missing.jsonl', options);
 * } catch (error) {
 *   if (error instanceof UnusableInputError) console.error(error.message); // cannot read missing.jsonl: no such file
 * }
 * ```
 */
export class UnusableInputError extends Error {
  override name = 'UnusableInputError';
}

/** Callbacks while an analysis runs. */
export interface AnalyzeHooks {
  /** Every bad line as it is found (line numbers from 1). */
  readonly onBadLine?: BadLineListener;
}

/**
 * Analyses an export read from a stream of bytes (JSON lines, gzip or not), in bounded memory.
 * Throws {@link UnusableInputError} when no exposure of the experiment is in it. Also takes the
 * chunks of `openExportFile` (what {@link analyzeFile} reads a file with: faster than a stream).
 *
 * @example
 * ```ts
 * const report = await analyzeStream(process.stdin, { experiment: 'skill_tree_layout', variants: ['tree', 'list'], weights: [90, 10] });
 * console.log(report.decision, report.srm.pValue);
 * ```
 */
export async function analyzeStream(source: Readable | AsyncIterable<Buffer>, options: AnalyzeOptions, hooks: AnalyzeHooks = {}): Promise<AnalysisReport> {
  const accumulator = new ExportAccumulator(resolveOptions(options), hooks.onBadLine);
  try {
    await readLineBlocks(source, {
      block: (bytes, firstLine) => accumulator.addBlock(bytes, firstLine),
      tooLong: (line) => accumulator.tooLong(line),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const hint = code.startsWith('Z_') ? ' (corrupt or truncated gzip)' : '';
    throw new UnusableInputError(`cannot read the input after ${accumulator.lines} lines: ${(error as Error).message}${hint}`);
  }
  if (accumulator.exposures.every((n) => n === 0)) {
    const seen: string[] = [`${accumulator.lines} lines`, `${accumulator.badLineCount} bad`];
    if (accumulator.otherExperiments.size > 0) seen.push(`exposures of other experiments: ${[...accumulator.otherExperiments].join(', ')}`);
    if (accumulator.otherVersionExposures > 0) seen.push(`${accumulator.otherVersionExposures} exposures of other config versions (${[...accumulator.configVersions.keys()].join(', ')})`);
    throw new UnusableInputError(`no exposures of experiment "${options.experiment}"${options.configVersion ? ` with config version "${options.configVersion}"` : ''} (${seen.join('; ')})`);
  }
  return buildReport(accumulator);
}

/**
 * Analyses an export file (`.jsonl` or `.jsonl.gz`; gzip is detected from the bytes).
 *
 * @example
 * ```ts
 * const report = await analyzeFile('exposures.jsonl.gz', { experiment: 'skill_tree_layout', variants: ['tree', 'list'] });
 * ```
 */
export async function analyzeFile(path: string, options: AnalyzeOptions, hooks: AnalyzeHooks = {}): Promise<AnalysisReport> {
  await checkReadableFile(path);
  return analyzeStream(await openExportFile(path), options, hooks);
}

/**
 * Throws {@link UnusableInputError} with a plain reason when the path is not a readable file.
 * Resolves with its size in bytes.
 *
 * @example
 * ```ts
 * const bytes = await checkReadableFile('exposures.jsonl.gz');
 * ```
 */
export async function checkReadableFile(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UnusableInputError(`cannot read ${path}: not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof UnusableInputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnusableInputError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message}`);
  }
}
