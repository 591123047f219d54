import { open } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import type { Readable } from 'node:stream';
import { InputError } from '../input/input-error.js';
import { openExport, openingFailure } from '../input/open-export.js';
import { readLineBlocks } from '../input/read-lines.js';
import { ExportAccumulator, type BadLineListener } from './accumulator.js';
import { noExposuresMessage } from './no-exposures.js';
import { resolveOptions, type AnalyzeOptions } from './options.js';
import { BUILT_WORKER_SCRIPT, ParallelClassification, SequentialClassification, type Classification } from './parallel.js';
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

/**
 * Callbacks while an analysis runs, and how it runs.
 *
 * @example
 * ```ts
 * await analyzeFile('exposures.jsonl', options, { onBadLine: (line, reason) => console.warn(`line ${line}: ${reason}`) });
 * ```
 */
export interface AnalyzeHooks {
  /** Every bad line as it is found (line numbers from 1). */
  readonly onBadLine?: BadLineListener;
  /**
   * The worker script for `threads` (default: `classify-worker.js` of the build, next to this
   * module). Without one, the analysis runs on the calling thread alone.
   */
  readonly workerScript?: URL | string;
}

/** Files at least this large are read with worker threads by default (see {@link defaultThreads}). */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Worker threads for an input of `bytes` bytes when `threads` is not given: 2 when the input is
 * at least {@link PARALLEL_MIN_BYTES} and three cores are free (the main thread and each worker
 * need one: the load average of the last minute is at most the cores less three), else none.
 * Threads cost about a third more CPU time in all; on two cores that ate the gain (1.02 M
 * events/s with 2 threads against 1.13 M with none, the machine otherwise idle).
 *
 * @example
 * ```ts
 * defaultThreads(1e9); // 2 on a machine with four cores and little else running; 0 on two cores
 * ```
 */
export function defaultThreads(bytes: number | undefined, cores = availableParallelism(), load = loadavg()[0]!): number {
  return bytes !== undefined && bytes >= PARALLEL_MIN_BYTES && cores >= 4 && load <= cores - 3 ? 2 : 0;
}

/**
 * Analyses an export read from a stream of bytes (JSON lines, gzip or not), in bounded memory.
 * Throws {@link UnusableInputError} when no exposure of the experiment is in it. Also takes the
 * chunks of `openExport` (what {@link analyzeFile} reads a file with: faster than a stream).
 *
 * @example
 * ```ts
 * const report = await analyzeStream(process.stdin, { experiment: 'skill_tree_layout', variants: ['tree', 'list'], weights: [90, 10] });
 * console.log(report.decision, report.srm.pValue);
 * ```
 */
export async function analyzeStream(source: Readable | AsyncIterable<Buffer>, options: AnalyzeOptions, hooks: AnalyzeHooks = {}): Promise<AnalysisReport> {
  const resolved = resolveOptions(options);
  const accumulator = new ExportAccumulator(resolved, hooks.onBadLine);
  const script = hooks.workerScript ?? BUILT_WORKER_SCRIPT;
  const classification: Classification =
    resolved.threads > 0 && ParallelClassification.available(script)
      ? new ParallelClassification(resolved, accumulator, resolved.threads, script)
      : new SequentialClassification(resolved, accumulator);
  try {
    await readLineBlocks(source, classification);
    await classification.finish();
  } catch (error) {
    // What was read before the failure still counts, as the line number in the message says.
    await classification.finish().catch(() => undefined);
    if (error instanceof InputError) throw new UnusableInputError(error.message);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const hint = code.startsWith('Z_') ? ' (corrupt or truncated gzip)' : '';
    throw new UnusableInputError(`cannot read the input after ${accumulator.lines} lines: ${(error as Error).message}${hint}`);
  }
  if (accumulator.exposures.every((n) => n === 0)) throw new UnusableInputError(noExposuresMessage(accumulator));
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
  let opened;
  try {
    opened = await openExport(path);
  } catch (error) {
    throw error instanceof InputError ? new UnusableInputError(error.message) : error;
  }
  return analyzeStream(opened.source, { ...options, threads: options.threads ?? defaultThreads(opened.size) }, hooks);
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
    // Opened, not only stat-ed: a file that exists but cannot be read fails here, with a plain reason.
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new UnusableInputError(`cannot read ${path}: not a file`);
      return info.size;
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof UnusableInputError) throw error;
    throw new UnusableInputError(openingFailure(path, error));
  }
}
