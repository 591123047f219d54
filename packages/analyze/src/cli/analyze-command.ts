import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { analyzeStream, defaultThreads } from '../analysis/analyze.js';
import { openExport } from '../input/open-export.js';
import { DEFAULT_MAX_BAD_LINE_EXAMPLES } from '../analysis/options.js';
import type { AnalysisReport } from '../analysis/report.js';
import { formatHtml } from '../format/html.js';
import { formatJson } from '../format/json.js';
import { formatText } from '../format/text.js';
import { choiceFlag, parseFlags } from './flags.js';
import { EXIT, printHelp, UsageError, type CliIo } from './io.js';
import { outputPath, writeReport } from './output-file.js';
import { ProgressBar } from './progress.js';
import { ANALYZE_FLAGS, ANALYZE_HELP, analyzeOptionsFrom } from './analyze-flags.js';
import { analyzeInterleavingCommand } from './interleaving-command.js';
import { analyzeOnEngine, ENGINES } from '../warehouse/engine-flags.js';

const FORMATTERS: Record<'text' | 'json' | 'html', (report: AnalysisReport) => string> = { text: formatText, json: formatJson, html: formatHtml };

/** `bucketry analyze`: exit 0 when the decision is proceed, 1 otherwise, 2 when it cannot analyse. */
export async function analyzeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('analyze', args, ANALYZE_FLAGS, 1);
  if (values.help) return printHelp(io, ANALYZE_HELP);
  const input = positionals[0];
  if (values.interleaving) return analyzeInterleavingCommand(input, values, io);
  if (values['click-event'] !== undefined) throw new UsageError('--click-event applies only with --interleaving (an interleaving analysis)');
  const engine = choiceFlag('engine', values.engine ?? 'streaming', ENGINES);
  if (input === undefined && engine !== 'postgres') throw new UsageError('missing input: give a .jsonl or .jsonl.gz export, or - to read stdin (see bucketry analyze --help)');
  const format = choiceFlag('format', values.format ?? 'text', ['text', 'json', 'html'] as const);
  let options = analyzeOptionsFrom(values, io.cwd);
  const out = values.out === undefined ? undefined : { flag: values.out, path: await outputPath(io.cwd, values.out) };

  let report: AnalysisReport;
  const maxExamples = options.maxBadLineExamples ?? DEFAULT_MAX_BAD_LINE_EXAMPLES;
  const echoBadLines = format !== 'text' || out !== undefined;
  let echoed = 0;
  if (engine !== 'streaming') report = await analyzeOnEngine(engine, input, values, options, io.cwd);
  else {
    let source: Readable | AsyncIterable<Buffer>;
    let progress: ProgressBar | undefined;
    if (input === '-') {
      source = io.stdin;
    } else {
      const { source: file, size } = await openExport(resolve(io.cwd, input!), () => io.stderr.write(`bucketry analyze: waiting for a program to write to ${input} (a named pipe)\n`));
      options = { ...options, threads: options.threads ?? defaultThreads(size) };
      source = file;
      if (ProgressBar.wanted(io.stderr, size)) progress = new ProgressBar(io.stderr, size, () => file.bytesRead);
    }

    // Bad lines go to stderr as they are found, unless the text report on stdout lists them anyway.
    progress?.start();
    try {
      report = await analyzeStream(source, options, {
        onBadLine: (line, reason) => {
          if (!echoBadLines || echoed >= maxExamples) return;
          echoed++;
          io.stderr.write(`${progress ? '\r\x1b[K' : ''}line ${line}: ${reason}\n`);
        },
      });
    } finally {
      progress?.stop();
    }
  }
  if (echoBadLines && report.input.badLines.count > echoed) {
    io.stderr.write(`… ${report.input.badLines.count - echoed} more bad lines (${report.input.badLines.count} in all)\n`);
  }

  await writeReport(io, FORMATTERS[format](report), out, `Decision: ${report.decision.toUpperCase()}`, format);
  return report.decision === 'proceed' ? EXIT.healthy : EXIT.checkFailed;
}
