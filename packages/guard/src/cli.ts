// @bucketry/guard/cli: the guard's commands, for the `bucketry-guard` bin and the main `bucketry` CLI.
import { BASELINE_USAGE, runBaselineCommand } from './baseline-command.js';
import { GuardUsageError, type GuardCommandIo } from './command-io.js';
import { REPORT_USAGE, runReportCommand } from './daily-report-command.js';
import { ADVANCE_USAGE, MONITOR_USAGE, runAdvanceCommand, runMonitorCommand } from './monitor-command.js';

export type { GuardCommandIo } from './command-io.js';

const USAGE = `Usage: bucketry-guard <command> …

  monitor          watch a rollout plan: decide, advance, roll back (bucketry monitor)
  advance          approve the next stage of a manual plan (bucketry rollout advance)
  baseline         record the guardrail metrics before the first stage (bucketry baseline)
  report daily     the daily report of a rollout (bucketry report daily)

${MONITOR_USAGE}

${ADVANCE_USAGE}

${BASELINE_USAGE}

${REPORT_USAGE}`;

/**
 * Runs one of the guard's commands: `monitor`, `advance`, `baseline` or `report`, with its flags.
 * Returns the exit code; never calls process.exit.
 *
 * @example
 * ```ts
 * import { runGuardCommand } from '@bucketry/guard/cli';
 * process.exitCode = await runGuardCommand(['monitor', '--plan', 'plan.json', '--store', 'file:rollouts.json', '--events', 'events.jsonl', '--once'],
 *   { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
 * ```
 */
export async function runGuardCommand(argv: readonly string[], io: GuardCommandIo & { readonly env?: NodeJS.ProcessEnv; readonly signal?: AbortSignal }): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'monitor':
      return runMonitorCommand(rest, io);
    case 'advance':
      return runAdvanceCommand(rest, io);
    case 'baseline':
      return runBaselineCommand(rest, io);
    case 'report':
      return runReportCommand(rest, io);
    case undefined:
    case '--help':
    case '-h':
      (command === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`bucketry-guard: ${new GuardUsageError(`unknown command ${JSON.stringify(command)}; the commands are monitor, advance, baseline, report`).message}\n`);
      return 2;
  }
}
