// `bucketry analyze --interleaving`: the flags it reads and the run. analyze-command.ts hands
// over when --interleaving is given.
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { analyzeInterleaving, type InterleavingReport } from '../analysis/interleaving.js';
import { DEFAULT_MAX_BAD_LINE_EXAMPLES } from '../analysis/options.js';
import { formatInterleavingHtml } from '../format/interleaving-html.js';
import { formatInterleavingText } from '../format/interleaving-text.js';
import { formatJson } from '../format/json.js';
import { openExport } from '../input/open-export.js';
import type { ANALYZE_FLAGS } from './analyze-flags.js';
import { choiceFlag, numberFlag, type ParsedFlags } from './flags.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { outputPath, writeReport } from './output-file.js';

export const ANALYZE_INTERLEAVING_HELP = `  --interleaving              analyse an interleaving experiment instead (two rankers merged in one
                              list): its exposures with lists (bucketry.expose(list)) and its clicks,
                              track events item_clicked with properties { experiment, query, item };
                              takes --experiment, --click-event, --confidence, --max-bad-lines,
                              --format and --out; exit 0 when a ranker is preferred, 1 when not
  --click-event <name>        the click event with --interleaving (default item_clicked)`;

/** What each interleaving report prints as. */
const FORMATTERS: Record<'text' | 'json' | 'html', (report: InterleavingReport) => string> = {
  text: formatInterleavingText,
  json: formatJson,
  html: formatInterleavingHtml,
};

/** The flags an interleaving analysis takes; every other flag of `bucketry analyze` is refused with --interleaving, never ignored. */
const INTERLEAVING_FLAGS: readonly string[] = ['interleaving', 'experiment', 'click-event', 'confidence', 'max-bad-lines', 'format', 'out'] satisfies (keyof typeof ANALYZE_FLAGS)[];

/** `bucketry analyze <file> --interleaving`: exit 0 when a ranker is preferred, 1 when not. */
export async function analyzeInterleavingCommand(input: string | undefined, values: ParsedFlags<typeof ANALYZE_FLAGS>['values'], io: CliIo): Promise<number> {
  if (input === undefined) throw new UsageError('missing input: give a .jsonl or .jsonl.gz export, or - to read stdin (see bucketry analyze --help)');
  const other = Object.keys(values).find((flag) => !INTERLEAVING_FLAGS.includes(flag));
  if (other !== undefined) throw new UsageError(`--${other} does not apply with --interleaving (it takes --experiment, --click-event, --confidence, --max-bad-lines, --format, --out)`);
  const { experiment } = values;
  if (experiment === undefined || experiment === '') throw new UsageError('missing --experiment: name the interleaving experiment on the exposures, e.g. --experiment skill_order');
  const clickEvent = values['click-event'];
  if (clickEvent === '') throw new UsageError('--click-event "": must name the click event, e.g. item_clicked');
  const format = choiceFlag('format', values.format ?? 'text', ['text', 'json', 'html'] as const);
  const confidence = values.confidence === undefined ? undefined : numberFlag('confidence', values.confidence, { min: 0, max: 1, exclusive: true });
  const maxBadLines = values['max-bad-lines'] === undefined ? DEFAULT_MAX_BAD_LINE_EXAMPLES : numberFlag('max-bad-lines', values['max-bad-lines'], { min: 0, integer: true });
  const out = values.out === undefined ? undefined : { flag: values.out, path: await outputPath(io.cwd, values.out) };
  const source: Readable | AsyncIterable<Buffer> = input === '-' ? io.stdin : (await openExport(resolve(io.cwd, input))).source;

  // Bad lines go to stderr as found, unless the text report on stdout lists them anyway.
  const echo = format !== 'text' || out !== undefined;
  let echoed = 0;
  const report = await analyzeInterleaving(
    source,
    { experiment, ...(clickEvent === undefined ? {} : { clickEvent }), ...(confidence === undefined ? {} : { confidence }), maxBadLineExamples: maxBadLines },
    (line, reason) => {
      if (echo && echoed++ < maxBadLines) io.stderr.write(`line ${line}: ${reason}\n`);
    },
  );
  await writeReport(io, FORMATTERS[format](report), out, `Preferred: ${report.verdict === 'none' ? 'neither' : report.verdict}`, format);
  return report.verdict === 'none' ? EXIT.checkFailed : EXIT.healthy;
}
