// The monitor's state on disk, beside the plan: written whole to a temporary file and renamed over
// the old one, so a crash leaves the previous state or the new one, never half of one.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { EMPTY_COUNTS, emptyTallies } from './tally.js';
import type { MonitorState, Plan } from './types.js';

/**
 * Where a plan's state is kept by default: `checkout-plan.json` → `checkout-plan.state.json`.
 *
 * @example
 * ```ts
 * statePathFor('/etc/rollouts/checkout-plan.json'); // '/etc/rollouts/checkout-plan.state.json'
 * ```
 */
export function statePathFor(planPath: string): string {
  return `${planPath.replace(/\.json$/i, '')}.state.json`;
}

/** The state of a plan that has not started: stage 0, no looks, nothing read. */
export function initialState(plan: Plan, now: Date): MonitorState {
  const stage = plan.stages[0]!;
  return {
    format: 1,
    experiment: plan.experiment,
    status: 'running',
    stage: 0,
    stageName: stage.name,
    percent: stage.percent,
    stageStartedAt: now.toISOString(),
    look: 0,
    lastLookAt: null,
    cursor: null,
    tallies: emptyTallies(plan, 0),
    exposures: plan.variants.map(() => 0),
    counts: EMPTY_COUNTS,
    units: {},
    decisions: [],
    pending: null,
  };
}

/**
 * Reads a monitor's state file; undefined when there is none yet. A file that is not a monitor
 * state, or one for another experiment, throws naming the path.
 *
 * @example
 * ```ts
 * const state = await readState('checkout-plan.state.json');
 * if (state) console.log(state.status, state.stageName, state.percent);
 * ```
 */
export async function readState(path: string, experiment?: string): Promise<MonitorState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let state: MonitorState;
  try {
    state = JSON.parse(text) as MonitorState;
  } catch (error) {
    throw new Error(`monitor state ${path} is not JSON (${(error as Error).message}); move it away to start the plan over`);
  }
  if (state?.format !== 1) throw new Error(`monitor state ${path} has format ${JSON.stringify(state?.format)}, must be 1`);
  if (experiment !== undefined && state.experiment !== experiment) throw new Error(`monitor state ${path} is for ${state.experiment}, not ${experiment}`);
  return state;
}

/** Writes the state whole (temporary file, then rename). */
export async function writeState(path: string, state: MonitorState): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, path);
}
