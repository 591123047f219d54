// `bucketry report daily`: the command line over DailyTally and its Markdown and HTML.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GuardUsageError, openStoreFlag, readPlanFile, readWholeSource, type GuardCommandIo } from './command-io.js';
import { defaultBaselinePath, readBaselineFile } from './baseline-file.js';
import type { Baseline } from './baseline.js';
import { DailyTally, dayWindow, type DailyReport } from './daily-report.js';
import { dailyReportHtml } from './daily-report-html.js';
import { dailyReportMarkdown } from './daily-report-markdown.js';

export const REPORT_USAGE = `Usage: bucketry report daily --plan <file> --events <source> --date <YYYY-MM-DD> [--baseline <file>] [--store <url>] [--format markdown|html] [--out <file>]

  The playbook's daily report of one UTC day: requests, each guardrail's metric per variant beside
  its baseline (default <plan>.baseline.json, from bucketry baseline) and its limits, the issues
  detected, and a recommendation (PROCEED, HOLD or ROLLBACK, judged as the monitor judges a look).
  --store adds the rollout the store holds and the changes it recorded that day.
  Markdown to stdout by default; --format html writes one self-contained page; --out writes to a file.
  Exit codes: 0 written (whatever it recommends), 2 bad usage or unusable input.`;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The store's part of the report: what it holds now and the changes of the day. Never throws: an unreadable store is an issue of the report. */
async function storePart(url: string, cwd: string, experiment: string, start: number, end: number): Promise<{ store: DailyReport['store']; error: string | null }> {
  const store = openStoreFlag(url, cwd);
  try {
    const [snapshot, history] = await Promise.all([store.read(), store.history(experiment)]);
    const changes = history.filter((c) => Date.parse(c.at) >= start && Date.parse(c.at) < end);
    return { store: { record: snapshot.rollouts[experiment] ?? null, changes }, error: null };
  } catch (error) {
    return { store: null, error: message(error) };
  } finally {
    await store.close();
  }
}

/**
 * `bucketry report daily`: reads the event source from its start, keeps the day's events, and
 * writes the daily report as Markdown or HTML.
 *
 * @example
 * ```ts
 * process.exitCode = await runReportCommand(['daily', '--plan', 'rollout-plan.json', '--events', 'exports/events.jsonl', '--date', '2026-12-08'], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
 * ```
 */
export async function runReportCommand(argv: readonly string[], io: GuardCommandIo): Promise<number> {
  try {
    const [kind, ...rest] = argv;
    if (kind === '--help' || kind === '-h') {
      io.stdout.write(`${REPORT_USAGE}\n`);
      return 0;
    }
    if (kind !== 'daily') throw new GuardUsageError(`bucketry report takes a kind of report: daily, got ${kind === undefined ? 'nothing' : JSON.stringify(kind)} (see bucketry report --help)`);
    const { values } = parseArgs({
      args: rest,
      options: {
        plan: { type: 'string' },
        events: { type: 'string' },
        date: { type: 'string' },
        baseline: { type: 'string' },
        store: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${REPORT_USAGE}\n`);
      return 0;
    }
    for (const flag of ['plan', 'events', 'date'] as const) if (values[flag] === undefined) throw new GuardUsageError(`--${flag} is required (see bucketry report --help)`);
    const format = values.format ?? 'markdown';
    if (format !== 'markdown' && format !== 'html') throw new GuardUsageError(`--format is ${JSON.stringify(format)}, must be markdown or html`);
    let window: { start: number; end: number };
    try {
      window = dayWindow(values.date!);
    } catch (error) {
      throw new GuardUsageError(message(error));
    }
    const planPath = resolve(io.cwd, values.plan!);
    const plan = await readPlanFile(planPath);
    const baselinePath = values.baseline === undefined ? defaultBaselinePath(planPath) : resolve(io.cwd, values.baseline);
    let baseline: Baseline | null = null;
    if (values.baseline !== undefined || existsSync(baselinePath)) {
      try {
        baseline = readBaselineFile(baselinePath, plan.experiment);
      } catch (error) {
        throw new GuardUsageError(`--baseline: ${message(error)}`);
      }
    }
    const tally = new DailyTally(plan, window.start, window.end);
    await readWholeSource(values.events!, io.cwd, tally);
    const { store, error } = values.store === undefined ? { store: null, error: null } : await storePart(values.store, io.cwd, plan.experiment, window.start, window.end);
    const report = tally.report(values.events!, values.date!, baseline, store, error);
    const text = format === 'html' ? dailyReportHtml(report) : dailyReportMarkdown(report);
    if (values.out === undefined) io.stdout.write(text);
    else {
      await writeFile(resolve(io.cwd, values.out), text);
      io.stdout.write(`${report.experiment} ${report.date}: ${report.recommendation}; report written to ${values.out}\n`);
    }
    return 0;
  } catch (error) {
    io.stderr.write(`bucketry report: ${message(error).replace(/^Unknown option '([^']+)'.*$/, 'unknown flag $1 (see bucketry report --help)')}\n`);
    return 2;
  }
}
