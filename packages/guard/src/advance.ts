// `bucketry rollout advance`: a person approves the next stage of a manual plan. The approval is a
// change in the store (their name, the stage, the reason in its history); the monitor sees it on
// its next look and starts judging the new stage.
import type { RolloutRecord, RolloutStore } from '@bucketry/live';
import { readState } from './state-file.js';
import type { Plan } from './types.js';

/**
 * Who approves, and whether to advance although the monitor has not said "ready to advance".
 *
 * @example
 * ```ts
 * const options: AdvanceOptions = { plan, store, statePath: 'checkout-plan.state.json', actor: 'ana' };
 * ```
 */
export interface AdvanceOptions {
  readonly plan: Plan;
  readonly store: RolloutStore;
  readonly statePath: string;
  readonly actor: string;
  readonly reason?: string;
  /** Advance even though the monitor's last look was not "ready to advance" (its guardrails not passed, or the stage too young). */
  readonly force?: boolean;
}

/**
 * Moves a plan's rollout to its next stage in the store, with compare-and-set against the record
 * the monitor left, and records who approved it. Refused, saying why, when the monitor has not
 * reported the stage ready (unless `force`), when there is no next stage, or when the plan was
 * rolled back.
 *
 * @example
 * ```ts
 * const { record } = await advanceRollout({ plan, store: openStore('file:rollouts.json'), statePath: 'checkout-plan.state.json', actor: 'ana' });
 * console.log(`now ${record.rollout}% (${record.phase})`);
 * ```
 */
export async function advanceRollout(options: AdvanceOptions): Promise<{ readonly record: RolloutRecord; readonly previous: RolloutRecord | null }> {
  const { plan, store, statePath, actor } = options;
  const state = await readState(statePath, plan.experiment);
  if (state === undefined) throw new Error(`no monitor state at ${statePath}: start bucketry monitor for ${plan.experiment} first`);
  if (state.status === 'rolled-back' || state.status === 'completed') throw new Error(`${plan.experiment}'s plan has ${state.status === 'completed' ? 'completed' : 'been rolled back'}; there is nothing to advance`);
  const next = plan.stages[state.stage + 1];
  if (next === undefined) throw new Error(`${plan.experiment} is in its last stage (${state.stageName}, ${state.percent}%); there is nothing to advance to`);
  const last = state.decisions.at(-1);
  if (state.status !== 'ready-to-advance' && options.force !== true) {
    throw new Error(
      `${plan.experiment} is not ready to advance from ${state.stageName} (${state.percent}%): the monitor's last look (${last ? `${last.at}: ${last.verdict} ${last.reason}: ${last.message}` : 'none yet'}) did not clear it. Wait, or use --force to advance anyway`,
    );
  }
  const record = (await store.read()).rollouts[plan.experiment] ?? null;
  if (record === null || record.rollout !== state.percent) {
    throw new Error(`${plan.experiment} is at ${record ? `${record.rollout}%` : 'no rollout'} in the store, not the monitor's ${state.percent}%; resolve that before advancing`);
  }
  return store.write(plan.experiment, {
    rollout: next.percent,
    enabled: true,
    actor,
    phase: next.name,
    reason: options.reason ?? `approved: advance from ${state.stageName} (${state.percent}%) to ${next.name} (${next.percent}%)${options.force && state.status !== 'ready-to-advance' ? ' (forced before the monitor cleared it)' : ''}`,
    at: new Date().toISOString(),
    expectedVersion: record.version,
    force: false,
  });
}
