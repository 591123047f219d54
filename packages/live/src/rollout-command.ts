import { ExperimentConfigError } from '@bucketry/core';
import { UsageError, parseFlags } from './cli-flags.js';
import { openStore } from './open-store.js';
import type { RolloutChange, RolloutRecord } from './record.js';
import { setRollout } from './set-rollout.js';
import { RolloutConflictError, type RolloutStore } from './store.js';

/**
 * What {@link runRolloutCommand} reads and writes, injectable so it runs in-process in tests and
 * inside the main `bucketry` CLI.
 *
 * @example
 * ```ts
 * const io: RolloutCommandIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
 * ```
 */
export interface RolloutCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** `BUCKETRY_STORE` (when `--store` is absent), `BUCKETRY_ACTOR` or `USER` (when `--actor` is). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves `file:` paths. */
  readonly cwd: string;
}

const USAGE = `Usage:
  bucketry rollout set <experiment> <percent> [--phase name] [--reason text] [--actor name] [--expect-version n] --store <url>
  bucketry rollout set <experiment> --fraction <0-1> [...]
  bucketry rollout status [<experiment>] --store <url> [--format json]
  bucketry rollout history <experiment> --store <url> [--format json]

  <percent> is 0-100 (10 is 10%, 0.5 half a percent, 0 the kill switch); --fraction 0.10 is 10%.
  --expect-version n refuses the change if the experiment's version is no longer n (see status).
  Stores: file:<path>, postgres://…[?schema=name], redis://…[?prefix=name:]; default $BUCKETRY_STORE.
  Exit codes: 0 done, 1 refused or failed (a version conflict, an unreachable store), 2 bad usage.
`;

const percentText = (record: { rollout: number; enabled: boolean } | null): string =>
  record ? `${record.rollout}%${record.enabled ? '' : ' (disabled)'}` : '-';

const statusJson = (record: RolloutRecord) => ({
  enabled: record.enabled,
  percentage: record.rollout,
  version: record.version,
  phase: record.phase,
  updatedAt: record.updatedAt,
  actor: record.actor,
  reason: record.reason,
});

const historyLine = (c: RolloutChange): string =>
  `${c.at}  v${c.version}  ${c.actor}  ${percentText(c.from)} → ${percentText(c.to)}` +
  `${c.phase ? `  phase ${c.phase}` : ''}${c.reason ? `  reason: ${c.reason}` : ''}\n`;

function option(flags: Map<string, string | true>, name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

function format(flags: Map<string, string | true>): 'json' | 'text' {
  const value = option(flags, 'format') ?? 'text';
  if (value !== 'json' && value !== 'text') throw new UsageError(`--format must be json or text, got ${JSON.stringify(value)}`);
  return value;
}

function only(positionals: string[], count: number, usage: string): void {
  if (positionals.length > count) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[count])}; ${usage}`);
}

type Command = 'set' | 'status' | 'history';
const isCommand = (word: string | undefined): word is Command => word === 'set' || word === 'status' || word === 'history';

async function run(command: Command, positionals: string[], flags: Map<string, string | true>, output: 'json' | 'text', io: RolloutCommandIo, store: RolloutStore): Promise<number> {
  switch (command) {
    case 'set': {
      const [experiment, percent] = positionals;
      only(positionals, 2, 'usage: rollout set <experiment> <percent> --store <url>');
      if (!experiment) throw new UsageError('rollout set needs an experiment: rollout set <experiment> <percent>');
      const fraction = option(flags, 'fraction');
      if (percent === undefined && fraction === undefined) throw new UsageError(`rollout set ${experiment} needs a percent (0-100) or --fraction (0-1)`);
      const expected = option(flags, 'expect-version');
      if (expected !== undefined && !/^\d+$/.test(expected)) throw new UsageError(`--expect-version must be a whole number from 0, got ${JSON.stringify(expected)}`);
      const { record, previous } = await setRollout(store, experiment, {
        percent,
        fraction,
        phase: option(flags, 'phase'),
        reason: option(flags, 'reason'),
        actor: option(flags, 'actor') ?? io.env.BUCKETRY_ACTOR ?? io.env.USER ?? 'unknown',
        expectedVersion: expected === undefined ? undefined : Number(expected),
      });
      io.stdout.write(
        `${experiment}: ${percentText(previous)} → ${percentText(record)} (version ${previous?.version ?? 0} → ${record.version}` +
          `${record.phase ? `, phase ${record.phase}` : ''}, by ${record.actor})${record.rollout === 0 ? ' — kill switch: everyone gets control' : ''}\n`,
      );
      return 0;
    }
    case 'status': {
      only(positionals, 1, 'usage: rollout status [<experiment>] --store <url>');
      const [experiment] = positionals;
      const { rollouts } = await store.read();
      const shown = Object.entries(rollouts).filter(([key]) => experiment === undefined || key === experiment).sort(([a], [b]) => a.localeCompare(b));
      if (experiment !== undefined && !shown.length) {
        io.stderr.write(`no rollout record for ${experiment} in this store (known: ${Object.keys(rollouts).sort().join(', ') || 'none'})\n`);
        return 1;
      }
      if (output === 'json') {
        io.stdout.write(`${JSON.stringify({ experiments: Object.fromEntries(shown.map(([key, record]) => [key, statusJson(record)])) }, null, 2)}\n`);
      } else {
        for (const [key, r] of shown) {
          io.stdout.write(`${key}  ${percentText(r)}  version ${r.version}  ${r.phase ?? '-'}  ${r.updatedAt}  ${r.actor}${r.reason ? `  ${r.reason}` : ''}\n`);
        }
        if (!shown.length) io.stdout.write('no rollout records yet\n');
      }
      return 0;
    }
    case 'history': {
      only(positionals, 1, 'usage: rollout history <experiment> --store <url>');
      const [experiment] = positionals;
      if (!experiment) throw new UsageError('rollout history needs an experiment: rollout history <experiment>');
      const changes = await store.history(experiment);
      if (output === 'json') io.stdout.write(`${JSON.stringify({ experiment, changes }, null, 2)}\n`);
      else if (!changes.length) io.stdout.write(`no changes recorded for ${experiment}\n`);
      else for (const change of changes) io.stdout.write(historyLine(change));
      return 0;
    }
  }
}

/**
 * The `rollout` command: `set`, `status` and `history` against a store named by `--store` or
 * `BUCKETRY_STORE`. Returns the exit code: 0 done; 1 refused or failed (a version conflict, naming
 * the version expected and the one found; an unreachable store; no record); 2 bad usage or input
 * (an unknown flag, a percent of 150, `--fraction 10`), with the rule. Never throws.
 *
 * @example
 * ```ts
 * import { runRolloutCommand } from '@bucketry/live/cli';
 *
 * process.exitCode = await runRolloutCommand(['set', 'skill_tree_layout', '10', '--phase', 'smoke', '--store', 'file:rollouts.json'], {
 *   stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(),
 * });
 * ```
 */
export async function runRolloutCommand(argv: readonly string[], io: RolloutCommandIo): Promise<number> {
  let opened: RolloutStore | undefined;
  try {
    const { positionals, flags } = parseFlags(argv);
    const [command, ...rest] = positionals;
    if (flags.has('help') || command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    const output = format(flags); // checked before the store is touched
    if (!isCommand(command)) {
      throw new UsageError(command === undefined ? 'rollout needs a command: set, status or history' : `unknown command ${JSON.stringify(command)}; the commands are set, status and history`);
    }
    const url = option(flags, 'store') ?? io.env.BUCKETRY_STORE;
    if (!url) throw new UsageError('--store is required (or set BUCKETRY_STORE): file:<path>, postgres://… or redis://…');
    try {
      opened = openStore(url, io.cwd);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return await run(command, rest, flags, output, io, opened);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ExperimentConfigError) {
      io.stderr.write(`bucketry rollout: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof RolloutConflictError) {
      io.stderr.write(
        `bucketry rollout: ${error.message}\n  see it: bucketry rollout status ${error.experiment}; to change it anyway: --expect-version ${error.foundVersion}\n`,
      );
      return 1;
    }
    io.stderr.write(`bucketry rollout: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await opened?.close().catch(() => {});
  }
}
