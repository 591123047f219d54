import { analyzeCommand } from './analyze-command.js';
import { assignCommand } from './assign-command.js';
import { guardCommand, rolloutWithAdvance } from './guard-command.js';
import { EXIT, type CliIo } from './io.js';
import { policyCommand } from './policy-command.js';
import { sampleSizeCommand } from './sample-size-command.js';
import { simulateCommand } from './simulate-command.js';
import { convertCommand } from '../warehouse/convert-command.js';
import { sqlCommand } from '../warehouse/sql-command.js';

export const MAIN_HELP = `Usage: bucketry <command> [flags]

Commands:
  analyze <file|->   check an experiment in an export: sample ratio, balance, lift, guardrails, decision
  sample-size        units per variant for a two-proportion test
  assign             which variant a unit gets, with reason and bucket
  simulate           write a realistic export to try things on
  convert <in> <out.parquet>   an export as Parquet, for analyze --engine duckdb (needs @duckdb/node-api)
  sql --dialect <d>  the tally query for your own events table (duckdb, postgres, bigquery, snowflake, clickhouse)
  policy [name]      list the built-in policies, or print one as JSON
  rollout <set|status|history>   change or read live rollouts in a store (needs @bucketry/live)
  rollout advance    approve the next stage of a manual rollout plan (needs @bucketry/guard)
  monitor            watch a rollout plan: advance, hold or roll back by its guardrails (needs @bucketry/guard)
  baseline           record a plan's guardrail metrics before its first stage (needs @bucketry/guard)
  report daily       a rollout's daily report, Markdown or HTML (needs @bucketry/guard)

Run bucketry <command> --help for its flags. Exit codes: 0 healthy, 1 a check failed, 2 unusable input or bad flags.`;

const COMMANDS: Record<string, (args: readonly string[], io: CliIo) => number | Promise<number>> = {
  analyze: analyzeCommand,
  'sample-size': sampleSizeCommand,
  assign: assignCommand,
  simulate: simulateCommand,
  convert: convertCommand,
  sql: sqlCommand,
  policy: policyCommand,
  rollout: rolloutWithAdvance,
  monitor: guardCommand('monitor'),
  baseline: guardCommand('baseline'),
  report: guardCommand('report'),
};

/**
 * Runs the `bucketry` command line and resolves with its exit code; errors become a message on
 * stderr and exit 2, never a stack trace.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() });
 * ```
 */
export async function runCli(args: readonly string[], io: CliIo, version = 'unknown'): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP + '\n');
    return command === undefined ? EXIT.unusable : EXIT.healthy;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT.healthy;
  }
  // Own keys only: `constructor` or `toString` is no command.
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run === undefined) {
    io.stderr.write(`bucketry: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see bucketry --help)\n`);
    return EXIT.unusable;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    // Usage errors, unusable input and I/O failures alike: one line naming what is wrong.
    io.stderr.write(`bucketry ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.unusable;
  }
}
