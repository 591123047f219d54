// `bucketry monitor` and `bucketry rollout advance`: the command lines over createMonitor and
// advanceRollout. Decisions go to stdout (one JSON line each); everything else to stderr.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RolloutStore } from '@bucketry/live';
import { advanceRollout } from './advance.js';
import { GuardUsageError, openStoreFlag, readPlanFile, type GuardCommandIo } from './command-io.js';
import { defaultBaselinePath, readBaselineFile } from './baseline-file.js';
import { acquireMonitorLock, MonitorLockedError, type MonitorLock } from './lock.js';
import { createMonitor, MonitorStoppedError } from './monitor.js';
import { openEventSource, type EventSource } from './source.js';
import { readState, statePathFor } from './state-file.js';
import { statusMonitorView } from './status-page-monitor.js';
import { createStatusServer } from './status-page.js';
import type { Verdict } from './types.js';
import { createWebhook } from './webhook.js';

export const MONITOR_USAGE = `Usage: bucketry monitor --plan <file> --store <url> --events <source> [--once] [--serve <port>] [--state <file>]

  Watches a rollout plan: every plan interval it reads the events that arrived since the last look
  (a growing .jsonl or .gz export, a directory of hourly files, postgres://…?table=schema.table),
  judges each guardrail with always-valid tests, and rolls back (0% at once), holds, or advances.
  Each decision is one JSON line on stdout and an entry in the store's history (bucketry rollout history).
  --store     file:<path>, postgres://… or redis://… (the store the application's instances follow)
  --state     the monitor's state, default <plan>.state.json beside the plan
  --once      take one look and exit: 0 PROCEED, 1 HOLD, 3 ROLLBACK
  --serve     also serve the status page on 127.0.0.1:<port> (kill switch on with BUCKETRY_STATUS_TOKEN)
  One monitor per experiment: a second one exits 2 naming the first.
  Exit codes: 0 the plan completed or the monitor was stopped (SIGINT, SIGTERM), or --once PROCEED;
  1 --once HOLD; 2 bad usage or unusable input; 3 rolled back by the monitor; 4 stopped because the
  lock was lost or someone set the rollout to 0% (the kill switch).`;

export const ADVANCE_USAGE = `Usage: bucketry rollout advance <experiment> --plan <file> --store <url> [--actor <name>] [--reason <text>] [--force] [--state <file>]

  Approves the next stage of a manual plan once the monitor reports "ready to advance": sets the
  store to the next stage's percent (compare-and-set) and records who approved it. The monitor
  follows on its next look. --force advances although the monitor has not cleared the stage.`;

const VERDICT_EXIT: Record<Verdict, number> = { PROCEED: 0, HOLD: 1, ROLLBACK: 3 };

/**
 * `bucketry monitor …` (see {@link MONITOR_USAGE}). Runs until the plan completes, is rolled back,
 * or the process is told to stop (SIGINT, SIGTERM: the look in progress finishes first).
 *
 * @example
 * ```ts
 * process.exitCode = await runMonitorCommand(['--plan', 'plan.json', '--store', 'file:rollouts.json', '--events', 'events.jsonl', '--once'], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
 * ```
 */
export async function runMonitorCommand(argv: readonly string[], io: GuardCommandIo & { readonly env?: NodeJS.ProcessEnv; readonly signal?: AbortSignal }): Promise<number> {
  let store: RolloutStore | undefined;
  let source: EventSource | undefined;
  let lock: MonitorLock | undefined;
  let server: { url: string; close(): Promise<void> } | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { plan: { type: 'string' }, store: { type: 'string' }, events: { type: 'string' }, state: { type: 'string' }, once: { type: 'boolean' }, serve: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${MONITOR_USAGE}\n`);
      return 0;
    }
    for (const flag of ['plan', 'store', 'events'] as const) if (values[flag] === undefined) throw new GuardUsageError(`--${flag} is required\n\n${MONITOR_USAGE}`);
    const port = values.serve === undefined ? undefined : Number(values.serve);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new GuardUsageError(`--serve is ${JSON.stringify(values.serve)}, must be a port number from 0 to 65535`);
    const planPath = resolve(io.cwd, values.plan!);
    const plan = await readPlanFile(planPath);
    const statePath = values.state === undefined ? statePathFor(planPath) : resolve(io.cwd, values.state);
    store = openStoreFlag(values.store!, io.cwd);
    source = await openEventSource(values.events!, io.cwd);
    lock = await acquireMonitorLock({ store: values.store!, experiment: plan.experiment, cwd: io.cwd });
    const report = (error: Error) => io.stderr.write(`bucketry monitor: ${error.message}\n`);
    const webhook = plan.webhook === null ? undefined : createWebhook(plan.webhook, { onError: report });
    const baselinePath = defaultBaselinePath(planPath);
    const baseline = existsSync(baselinePath) ? readBaselineFile(baselinePath, plan.experiment) : null;
    const monitor = createMonitor({ plan, store, source, statePath, lock, webhook, baseline, log: (line) => io.stdout.write(`${line}\n`), now: io.now, onError: report });
    if (port !== undefined) {
      server = await createStatusServer({
        store,
        experiment: plan.experiment,
        port,
        host: '127.0.0.1',
        token: io.env?.BUCKETRY_STATUS_TOKEN,
        onError: (error) => report(error instanceof Error ? error : new Error(String(error))),
        monitor: async () => {
          const state = await readState(statePath, plan.experiment);
          return state === undefined ? null : statusMonitorView(plan, state, baseline);
        },
      });
      // "listening on <url>": the line a supervisor (and the docs tests) wait for.
      io.stderr.write(`bucketry monitor: status page listening on ${server.url}\n`);
    }
    if (values.once) {
      const decision = await monitor.look();
      await webhook?.flush();
      return VERDICT_EXIT[decision.verdict];
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    io.signal?.addEventListener('abort', onSignal, { once: true });
    try {
      const state = await monitor.run(stop.signal);
      if (state.status !== 'rolled-back') return 0;
      return state.decisions.at(-1)?.action === 'rolled-back' ? 3 : 4;
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  } catch (error) {
    if (error instanceof MonitorStoppedError) {
      io.stderr.write(`bucketry monitor: ${error.message}\n`);
      return 4;
    }
    if (error instanceof GuardUsageError || error instanceof MonitorLockedError || (error as Error).name === 'TypeError' || (error as Error).name === 'ParseError') {
      io.stderr.write(`bucketry monitor: ${(error as Error).message}\n`);
      return 2;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`bucketry monitor: ${(error as Error).message}\n\n${MONITOR_USAGE}\n`);
      return 2;
    }
    throw error;
  } finally {
    await server?.close();
    await lock?.release();
    await source?.close();
    await store?.close();
  }
}

/**
 * `bucketry rollout advance <experiment> …` (see {@link ADVANCE_USAGE}).
 *
 * @example
 * ```ts
 * process.exitCode = await runAdvanceCommand(['checkout_v2', '--plan', 'plan.json', '--store', 'file:rollouts.json', '--actor', 'ana'], { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
 * ```
 */
export async function runAdvanceCommand(argv: readonly string[], io: GuardCommandIo & { readonly env?: NodeJS.ProcessEnv }): Promise<number> {
  let store: RolloutStore | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { plan: { type: 'string' }, store: { type: 'string' }, state: { type: 'string' }, actor: { type: 'string' }, reason: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`${ADVANCE_USAGE}\n`);
      return 0;
    }
    const [experiment, ...extra] = positionals;
    if (experiment === undefined || extra.length > 0) throw new GuardUsageError(`give exactly one experiment, got ${positionals.length}\n\n${ADVANCE_USAGE}`);
    for (const flag of ['plan', 'store'] as const) if (values[flag] === undefined) throw new GuardUsageError(`--${flag} is required\n\n${ADVANCE_USAGE}`);
    const planPath = resolve(io.cwd, values.plan!);
    const plan = await readPlanFile(planPath);
    if (plan.experiment !== experiment) throw new GuardUsageError(`experiment is ${JSON.stringify(experiment)}, but the plan ${values.plan} is for ${plan.experiment}`);
    store = openStoreFlag(values.store!, io.cwd);
    const actor = values.actor ?? io.env?.BUCKETRY_ACTOR ?? io.env?.USER ?? 'unknown';
    const { record, previous } = await advanceRollout({
      plan,
      store,
      statePath: values.state === undefined ? statePathFor(planPath) : resolve(io.cwd, values.state),
      actor,
      reason: values.reason,
      force: values.force,
    });
    io.stdout.write(`${experiment}: ${previous?.rollout ?? '-'}% → ${record.rollout}% (${record.phase}, version ${record.version}), approved by ${actor}\n`);
    return 0;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || error instanceof GuardUsageError) {
      io.stderr.write(`bucketry rollout advance: ${(error as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`bucketry rollout advance: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store?.close();
  }
}
