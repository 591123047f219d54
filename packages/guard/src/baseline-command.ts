// `bucketry baseline`: the command line over BaselineTally and the baseline file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BaselineTally, baselineMetricText, type Baseline } from './baseline.js';
import { defaultBaselinePath, writeBaselineFile } from './baseline-file.js';
import { countText } from './charts-html.js';
import { GuardUsageError, readPlanFile, readWholeSource, type GuardCommandIo } from './command-io.js';

const DAY_MS = 86_400_000;

export const BASELINE_USAGE = `Usage: bucketry baseline --plan <file> --events <source> [--from <time>] [--to <time>] [--out <file>] [--format text|json]

  Records each guardrail metric of the plan over a window before the first stage, from the same
  event source the monitor reads (a JSONL or .gz export, a directory of hourly files, postgres://…?table=…).
  --to defaults to now and --from to 7 days before --to; times are ISO 8601 (2026-12-01 is midnight UTC).
  Written to --out, default <plan>.baseline.json beside the plan, where bucketry monitor, bucketry report daily
  and the status page look for it.
  Exit codes: 0 recorded, 2 bad usage or unusable input (nothing written).`;

/** A time flag: ISO 8601, a bare date meaning its midnight UTC. */
function timeFlag(flag: string, value: string): number {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(time)) throw new GuardUsageError(`${flag} is ${JSON.stringify(value)}, must be an ISO 8601 time such as 2026-12-01 or 2026-12-01T09:00:00Z`);
  return time;
}

/** The baseline as `bucketry baseline` prints it. */
function baselineText(baseline: Baseline, writtenTo: string): string {
  const width = Math.max(...baseline.metrics.map((m) => m.label.length), 0);
  return [
    `baseline of ${baseline.experiment} from ${baseline.from} to ${baseline.to} (${baseline.source})`,
    `  ${countText(baseline.units)} units, ${countText(baseline.events)} events in the window; ${countText(baseline.lines)} lines read, ${countText(baseline.badLines)} not events`,
    ...baseline.metrics.map((m) => `  ${m.label.padEnd(width)}  ${baselineMetricText(m)}`),
    `written to ${writtenTo}`,
  ].join('\n');
}

/**
 * `bucketry baseline`: reads the event source from its start, keeps the events of the window,
 * and writes each guardrail's metric to the baseline file. A window without any event writes
 * nothing and exits 2: an empty baseline would read as "0% errors".
 *
 * @example
 * ```ts
 * process.exitCode = await runBaselineCommand(['--plan', 'rollout-plan.json', '--events', 'exports/events.jsonl'], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
 * ```
 */
export async function runBaselineCommand(argv: readonly string[], io: GuardCommandIo): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { plan: { type: 'string' }, events: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${BASELINE_USAGE}\n`);
      return 0;
    }
    if (values.plan === undefined) throw new GuardUsageError('--plan <file> is required');
    if (values.events === undefined) throw new GuardUsageError('--events <source> is required');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new GuardUsageError(`--format is ${JSON.stringify(format)}, must be text or json`);
    const to = values.to === undefined ? (io.now?.() ?? new Date()).getTime() : timeFlag('--to', values.to);
    const from = values.from === undefined ? to - 7 * DAY_MS : timeFlag('--from', values.from);
    if (!(from < to)) throw new GuardUsageError(`--from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`);
    const planPath = resolve(io.cwd, values.plan);
    const plan = await readPlanFile(planPath);
    const tally = new BaselineTally(plan, from, to);
    await readWholeSource(values.events, io.cwd, tally);
    const baseline = tally.result(values.events, io.now?.() ?? new Date());
    if (baseline.events === 0) {
      throw new GuardUsageError(
        `no events of the source between ${baseline.from} and ${baseline.to} (${countText(baseline.lines)} lines read, ${countText(baseline.badLines)} not events): nothing recorded; pick a window the source covers with --from and --to`,
      );
    }
    const out = values.out === undefined ? defaultBaselinePath(planPath) : resolve(io.cwd, values.out);
    await writeBaselineFile(out, baseline);
    io.stdout.write(format === 'json' ? `${JSON.stringify(baseline)}\n` : `${baselineText(baseline, values.out ?? defaultBaselinePath(values.plan))}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`bucketry baseline: ${error instanceof Error ? error.message.replace(/^Unknown option '([^']+)'.*$/, 'unknown flag $1 (see bucketry baseline --help)') : String(error)}\n`);
    return 2;
  }
}
