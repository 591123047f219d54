// The monitor: each look reads what is new, decides, acts through the store, records the decision
// (stdout, the store's history, the state file) and tells the webhook of stage changes and
// rollbacks. Never crashes a look: whatever fails becomes a HOLD that says why.
import { setTimeout as sleep } from 'node:timers/promises';
import { RolloutConflictError, type RolloutRecord, type RolloutStore } from '@bucketry/live';
import { decideLook, type LookDecision } from './decide.js';
import { afterChange, besideBaseline, cut, decisionOf, storeMoved } from './monitor-steps.js';
import type { Baseline } from './baseline.js';
import type { MonitorLock } from './lock.js';
import type { EventSource } from './source.js';
import { initialState, readState, writeState } from './state-file.js';
import { recentLooks, StageTally, withRecent } from './tally.js';
import type { Decision, MonitorState, Plan } from './types.js';
import type { Webhook } from './webhook.js';

/** The first wait after a look that failed outright, doubled per failure up to the plan's interval. */
const RETRY_MS = 1000;

/**
 * The actor every change the monitor makes is recorded under.
 *
 * @example
 * ```ts
 * const byMonitor = (await store.history('checkout_v2')).filter((change) => change.actor === MONITOR_ACTOR);
 * ```
 */
export const MONITOR_ACTOR = 'bucketry-monitor';

/**
 * What a monitor works with. Only `now`, `webhook`, `lock` and `onError` are optional.
 *
 * @example
 * ```ts
 * const options: MonitorOptions = { plan, store: openStore('redis://127.0.0.1:6379'), source: await openEventSource('events.jsonl'),
 *   statePath: 'checkout-plan.state.json', log: (line) => process.stdout.write(line + '\n') };
 * ```
 */
export interface MonitorOptions {
  readonly plan: Plan;
  readonly store: RolloutStore;
  readonly source: EventSource;
  readonly statePath: string;
  /** One JSON line per decision (stdout). */
  readonly log: (line: string) => void;
  readonly webhook?: Webhook;
  /** Checked before every change: a monitor that lost its lock stops acting. */
  readonly lock?: MonitorLock;
  /** The clock (tests and simulations move it). */
  readonly now?: () => Date;
  /** Told of what failed without stopping the monitor (the store's history write, a webhook). */
  readonly onError?: (error: Error) => void;
  /** What `bucketry baseline` recorded: each guardrail's judgement then names its metric before the rollout. */
  readonly baseline?: Baseline | null;
}

/**
 * A monitor of one plan. `look()` takes one look and returns its decision; `run()` looks every
 * plan interval until the rollout completes, is rolled back, or `signal` aborts.
 *
 * @example
 * ```ts
 * const monitor = createMonitor(options);
 * const decision = await monitor.look();
 * ```
 */
export interface Monitor {
  look(): Promise<Decision>;
  run(signal?: AbortSignal): Promise<MonitorState>;
  state(): Promise<MonitorState>;
}

/**
 * The monitor must stop acting: its lock was lost, the plan is over, or the store's rollout may not
 * be lowered to start it. The message says which.
 *
 * @example
 * ```ts
 * try { await monitor.look(); } catch (error) { if (error instanceof MonitorStoppedError) process.exitCode = 4; }
 * ```
 */
export class MonitorStoppedError extends Error {
  override name = 'MonitorStoppedError';
}

/**
 * Creates the monitor of a plan (see {@link Monitor}). Its state file is read on the first look:
 * a monitor restarted mid-stage resumes there, with the read position, tallies and decisions it
 * had, and finishes a store change it had decided but not confirmed instead of making it twice.
 * On the very first look it sets the store to the first stage's percent (refusing to lower a
 * rollout that is already further along).
 *
 * @example
 * ```ts
 * import { openStore } from '@bucketry/live';
 * import { createMonitor, openEventSource, parsePlan } from '@bucketry/guard';
 *
 * const monitor = createMonitor({
 *   plan: parsePlan(JSON.parse(readFileSync('checkout-plan.json', 'utf8'))),
 *   store: openStore('postgres://db/app'),
 *   source: await openEventSource('/var/log/bucketry/events.jsonl'),
 *   statePath: 'checkout-plan.state.json',
 *   log: (line) => process.stdout.write(`${line}\n`),
 * });
 * await monitor.run();
 * ```
 */
export function createMonitor(options: MonitorOptions): Monitor {
  const { plan, store, source, statePath, log } = options;
  const now = options.now ?? (() => new Date());
  const reportError = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  const checkLock = () => {
    const lost = options.lock?.lost();
    if (lost) throw new MonitorStoppedError(`the monitor of ${plan.experiment} no longer holds its lock (${lost}); it stops without acting`);
  };

  async function recordOf(): Promise<RolloutRecord | null> {
    return (await store.read()).rollouts[plan.experiment] ?? null;
  }

  async function load(): Promise<MonitorState> {
    const saved = await readState(statePath, plan.experiment);
    if (saved !== undefined) return saved;
    const at = now();
    const first = plan.stages[0]!;
    // A file store whose file does not exist yet holds no rollout; the first write creates it.
    const record = await recordOf().catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (record !== null && record.enabled && record.rollout > first.percent) {
      throw new MonitorStoppedError(
        `${plan.experiment} is at ${record.rollout}% in the store, beyond the plan's first stage (${first.percent}%); the monitor will not lower a rollout to start a plan. Set it by hand first (bucketry rollout set ${plan.experiment} ${first.percent})`,
      );
    }
    checkLock();
    if (record === null || record.rollout !== first.percent || !record.enabled) {
      await store.write(plan.experiment, {
        rollout: first.percent,
        enabled: true,
        actor: MONITOR_ACTOR,
        phase: first.name,
        reason: `plan started: stage ${first.name} at ${first.percent}% for at least ${first.minDuration}`,
        at: at.toISOString(),
        expectedVersion: record?.version ?? 0,
        force: false,
      });
    }
    const state = initialState(plan, at);
    await writeState(statePath, state);
    return state;
  }

  /**
   * A change decided by an earlier look (which crashed, or which the store refused): made now only
   * if the store does not show it, and the state moved on as that look would have moved it.
   */
  async function finishPending(state: MonitorState): Promise<MonitorState> {
    const { pending } = state;
    if (pending === null) return state;
    const record = await recordOf();
    if (!(record?.reason ?? '').includes(pending.tag)) {
      checkLock();
      const phase = pending.toPercent === 0 ? 'rollback' : (plan.stages[state.stage + 1]?.name ?? null);
      await writeChange(pending.toPercent, pending.tag, state.decisions.at(-1)?.message ?? 'resumed', record, phase);
    }
    const done = afterChange(plan, state, pending.toPercent, now());
    await writeState(statePath, done);
    return done;
  }

  function writeChange(rollout: number, tag: string, message: string, record: RolloutRecord | null, phase: string | null) {
    return store.write(plan.experiment, {
      rollout,
      enabled: true,
      actor: MONITOR_ACTOR,
      phase,
      reason: cut(`${tag} ${message}`),
      at: now().toISOString(),
      // A rollback is never refused; an advance only applies to the record the look read.
      expectedVersion: rollout === 0 ? undefined : (record?.version ?? 0),
      force: rollout === 0,
    });
  }

  async function look(): Promise<Decision> {
    checkLock();
    const loaded = await load();
    let state = await finishPending(loaded);
    if (loaded.pending?.toPercent === 0) {
      // The rollback an earlier look decided is made now: said again, as this look's decision.
      const asked = [...loaded.decisions].reverse().find((d) => d.look === loaded.pending!.look);
      const made: Decision = {
        ...(asked ?? decisionOf(plan, loaded, { verdict: 'ROLLBACK', reason: 'guardrail-breached', message: '', action: 'rolled-back', toPercent: 0, guardrails: [] }, now(), loaded.cursor, loaded.exposures)),
        at: now().toISOString(),
        look: loaded.look + 1,
        message: `rolled back to 0%, as look ${loaded.pending!.look} decided: ${asked?.message ?? 'resumed after a restart'}`,
      };
      log(JSON.stringify(made));
      await writeState(statePath, { ...state, look: made.look, lastLookAt: made.at, decisions: [...state.decisions, made] });
      options.webhook?.notify(made);
      return made;
    }
    if (state.status === 'rolled-back' || state.status === 'completed') {
      throw new MonitorStoppedError(`the plan for ${plan.experiment} has ${state.status === 'completed' ? 'completed' : 'been rolled back'}; nothing more to watch (move ${statePath} away to start it over)`);
    }
    const at = now();
    let record: RolloutRecord | null | undefined;
    let storeError: string | null = null;
    try {
      record = await recordOf();
    } catch (error) {
      storeError = (error as Error).message;
    }
    let note = '';
    if (record !== undefined) {
      const moved = storeMoved(plan, state, record);
      if (moved !== undefined) {
        state = moved.state;
        note = moved.note;
      }
    }
    const finish = async (decision: Decision, next: MonitorState) => {
      log(JSON.stringify(decision));
      await writeState(statePath, { ...next, look: decision.look, lastLookAt: decision.at, decisions: [...next.decisions, decision] });
      return decision;
    };
    if (state.status === 'rolled-back') {
      const stay = { verdict: 'HOLD', reason: 'store-changed', message: note, action: 'none', toPercent: 0, guardrails: [] } as const;
      return finish(decisionOf(plan, state, stay, at, state.cursor, state.exposures), state);
    }
    // Read what is new; a source that fails leaves the tallies and the read position as they were.
    const tally = new StageTally(plan, state);
    let cursor = state.cursor;
    let sourceError: string | null = null;
    try {
      const read = await source.read(state.cursor, tally);
      cursor = read.cursor;
      tally.counts.bytesRead += read.bytes;
      if (read.late) {
        tally.counts.late = (tally.counts.late ?? 0) + read.late;
        reportError(new Error(`${source.description}: ${read.late} events arrived after the read position had passed their time and were not counted (${tally.counts.late} in all); raise the source's settle time`));
      }
    } catch (error) {
      sourceError = `${source.description}: ${(error as Error).message}`;
    }
    const snapshot = sourceError === null ? tally.snapshot() : undefined;
    const read = snapshot
      ? { ...snapshot, tallies: withRecent(state.tallies, snapshot.tallies, recentLooks(plan)) }
      : { tallies: state.tallies, exposures: state.exposures, units: state.units, counts: state.counts };
    let looked: LookDecision = decideLook(plan, { stage: state.stage, stageStartedAt: state.stageStartedAt, tallies: read.tallies, exposures: read.exposures, sourceError, now: at });
    if (storeError !== null && looked.action !== 'rolled-back') {
      looked = { ...looked, verdict: looked.verdict === 'PROCEED' ? 'HOLD' : looked.verdict, reason: 'store-unreachable', message: `the store could not be read (${storeError}); ${looked.message}`, action: 'none', toPercent: state.percent };
    } else if (record !== undefined && record !== null && record.rollout !== state.percent && looked.action !== 'rolled-back') {
      looked = { ...looked, verdict: 'HOLD', reason: 'store-changed', message: `${plan.experiment} is at ${record.rollout}% in the store (set by ${record.actor} at ${record.updatedAt}), not the stage's ${state.percent}%: the monitor does not fight a change made by hand; ${looked.message}`, action: 'none', toPercent: state.percent };
    } else if (looked.action === 'ready-to-advance' && state.status === 'ready-to-advance') {
      looked = { ...looked, message: `still ${looked.message}` };
    }
    if (note) looked = { ...looked, message: `${note}; ${looked.message}` };
    if (options.baseline) looked = { ...looked, guardrails: besideBaseline(looked.guardrails, options.baseline) };
    const seen: MonitorState = { ...state, ...read, cursor };
    const decision = decisionOf(plan, seen, looked, at, cursor, read.exposures);
    const tag = `[${plan.experiment} look ${decision.look}]`;
    let next: MonitorState = seen;
    if (looked.action === 'rolled-back' || looked.action === 'advanced') {
      checkLock();
      // Saved before the change: a monitor restarted after it finds the tag in the store's record and does not repeat it.
      await writeState(statePath, { ...seen, pending: { look: decision.look, toPercent: looked.toPercent, tag } });
      try {
        await writeChange(looked.toPercent, tag, looked.message, record ?? null, looked.action === 'rolled-back' ? 'rollback' : plan.stages[state.stage + 1]!.name);
      } catch (error) {
        if (looked.action === 'rolled-back') {
          // Decided, not yet made: recorded as such, kept pending, and the look fails loudly; run() tries again within seconds.
          const refused = `${looked.message} — not yet made: the store refused it (${(error as Error).message}); trying again`;
          await finish({ ...decision, message: refused }, { ...seen, pending: { look: decision.look, toPercent: 0, tag } });
          throw error;
        }
        const conflict = error instanceof RolloutConflictError ? 'another change came first' : (error as Error).message;
        const held: Decision = { ...decision, verdict: 'HOLD', reason: error instanceof RolloutConflictError ? 'store-changed' : 'store-unreachable', message: `not advanced: ${conflict}; ${looked.message}`, action: 'none', toPercent: state.percent };
        return finish(held, { ...seen, pending: null });
      }
      next = afterChange(plan, seen, looked.toPercent, at);
    } else {
      if (looked.action === 'completed') next = { ...seen, status: 'completed' };
      if (looked.action === 'ready-to-advance') next = { ...seen, status: 'ready-to-advance' };
      // The audit trail: the decision in the store's history, on the record the look read (never over someone else's change).
      if (record !== undefined && record !== null && record.rollout === state.percent && record.enabled) {
        await store
          .write(plan.experiment, { rollout: record.rollout, enabled: true, actor: MONITOR_ACTOR, phase: state.stageName, reason: cut(`${tag} ${decision.verdict} ${decision.reason}: ${decision.message}`), at: decision.at, expectedVersion: record.version, force: false })
          .catch((error: unknown) => reportError(new Error(`decision of look ${decision.look} not recorded in the store's history: ${(error as Error).message}`)));
      }
    }
    const result = await finish(decision, next);
    if (result.action !== 'none') options.webhook?.notify(result);
    return result;
  }

  async function run(signal?: AbortSignal): Promise<MonitorState> {
    let failures = 0;
    for (;;) {
      if (signal?.aborted) break;
      try {
        const decision = await look();
        failures = 0;
        if (decision.action === 'rolled-back' || decision.action === 'completed' || (decision.reason === 'store-changed' && decision.toPercent === 0)) break;
      } catch (error) {
        if (error instanceof MonitorStoppedError) throw error;
        // A look that failed outright (the store down during a rollback) is reported, not fatal, and
        // tried again soon: after 1 s, doubling up to the plan's interval. A pending rollback is made then.
        reportError(error);
        failures++;
      }
      const wait = failures === 0 ? plan.intervalMs : Math.min(plan.intervalMs, RETRY_MS * 2 ** (failures - 1));
      // Rejects only when aborted; its abort listener goes when the wait ends (one per wait piled up before).
      await sleep(wait, undefined, { signal }).catch(() => {});
    }
    await options.webhook?.flush();
    return savedState();
  }

  async function savedState(): Promise<MonitorState> {
    return (await readState(statePath, plan.experiment)) ?? initialState(plan, now());
  }

  return { look, run, state: savedState };
}

