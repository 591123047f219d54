import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BaselineTally, type Baseline, type BaselineMetric } from './baseline.js';
import { defaultBaselinePath, writeBaselineFile } from './baseline-file.js';
import { countText, millisText, percentText } from './charts-html.js';
import { parsePlan } from './plan.js';
import { openEventSource } from './source.js';
import type { Plan } from './types.js';

/**
 * Where the guard's commands write and how they resolve paths; injectable so they run in-process
 * in tests and inside the `bucketry` CLI.
 *
 * @example
 * ```ts
 * const io: GuardCommandIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
 * ```
 */
export interface GuardCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly cwd: string;
  /** The clock, for the default window (`--to` now). */
  readonly now?: () => Date;
}

/** A command line or an input that cannot be used: exit 2 with this message. */
export class GuardUsageError extends Error {
  override name = 'GuardUsageError';
}

const DAY_MS = 86_400_000;

export const BASELINE_USAGE = `Usage: bucketry baseline --plan <file> --events <source> [--from <time>] [--to <time>] [--out <file>] [--format text|json]

  Records each guardrail metric of the plan over a window before the first stage, from the same
  event source the monitor reads (a JSONL or .gz export, a directory of hourly files, postgres://…?table=…).
  --to defaults to now and --from to 7 days before --to; times are ISO 8601 (2026-12-01 is midnight UTC).
  Written to --out, default <plan>.baseline.json beside the plan, where bucketry monitor, bucketry report daily
  and the status page look for it.
  Exit codes: 0 recorded, 2 bad usage or unusable input (nothing written).`;

/** A time flag: ISO 8601, a bare date meaning its midnight UTC. */
export function timeFlag(flag: string, value: string): number {
  const time = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(time)) throw new GuardUsageError(`${flag} is ${JSON.stringify(value)}, must be an ISO 8601 time such as 2026-12-01 or 2026-12-01T09:00:00Z`);
  return time;
}

/** Reads and validates a plan file; errors name the file and, for a plan that breaks a rule, the field. */
export async function readPlanFile(path: string): Promise<Plan> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new GuardUsageError(`--plan ${path} cannot be read: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GuardUsageError(`--plan ${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parsePlan(value);
  } catch (error) {
    throw new GuardUsageError(`--plan ${path}: ${(error as Error).message}`);
  }
}

/** Feeds every line (and row) of an event source, from its start, to a sink; errors name the source. */
export async function readWholeSource(spec: string, cwd: string, sink: { line(text: string): void; value(value: unknown): void }): Promise<void> {
  const source = await openEventSource(spec, cwd).catch((error: Error) => {
    throw new GuardUsageError(`--events ${spec}: ${error.message}`);
  });
  try {
    await source.read(null, sink);
  } catch (error) {
    throw new GuardUsageError(`--events ${spec}: ${(error as Error).message}`);
  } finally {
    await source.close();
  }
}

/** How one baseline metric reads: "0.85% of 2,345 units (20)", "p95 1.52 s over 4,500 durations". */
export function baselineMetricText(metric: BaselineMetric): string {
  if (metric.value === null) return `no ${metric.subject} ${metric.type === 'rate' || metric.type === 'non-inferiority' ? 'units' : 'values'} in the window`;
  if (metric.type === 'rate' || metric.type === 'non-inferiority') return `${percentText(metric.value)} of units (${countText(metric.hits)}/${countText(metric.samples)})`;
  if (metric.type === 'percentile') return `${millisText(metric.value)} over ${countText(metric.samples)} durations (${percentText(metric.shareAboveRollback)} above the rollback limit)`;
  return `mean ${+metric.value.toFixed(4)} over ${countText(metric.samples)} values`;
}

/** The baseline as `bucketry baseline` prints it. */
export function baselineText(baseline: Baseline, writtenTo: string): string {
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
