// A stage of a plan run on simulated traffic, look by look, through the monitor's own tally and
// decision: what the A/A test, the regression bench and a team trying its thresholds all use.
import { decideLook, type LookDecision } from './decide.js';
import { EMPTY_COUNTS, emptyTallies, recentLooks, StageTally, withRecent } from './tally.js';
import type { Plan } from './types.js';

/**
 * The simulated traffic of {@link simulateStage}.
 *
 * @example
 * ```ts
 * const options: SimulateStageOptions = {
 *   plan, seed: 7, looks: 432, unitsPerDay: 10_000,
 *   behave: (arm, elapsedMs, random) => (random() < (arm === 1 && elapsedMs > 86_400_000 ? 0.06 : 0.01) ? [{ name: 'checkout_error' }] : []),
 * };
 * ```
 */
export interface SimulateStageOptions {
  readonly plan: Plan;
  /** Index of the stage to run, default 0: its percent splits the traffic, its guardrails judge it. */
  readonly stage?: number;
  readonly seed: number;
  /** Looks to take (one per plan interval) unless a rollback comes first. */
  readonly looks: number;
  /** Units exposed per day, all arms together, spread evenly over time. */
  readonly unitsPerDay: number;
  /**
   * The events one unit has right after its exposure: its arm (0 control, 1… the treatments), the
   * simulated time since the stage started, and a uniform random number source in [0, 1).
   */
  readonly behave: (arm: number, elapsedMs: number, random: () => number) => readonly { readonly name: string; readonly properties?: Readonly<Record<string, unknown>> }[];
}

/**
 * What {@link simulateStage} found.
 *
 * @example
 * ```ts
 * const { rollbackLook, rollbackAfterMs } = simulateStage(options);
 * ```
 */
export interface StageSimulation {
  /** The first look that rolled back (from 1), or null. */
  readonly rollbackLook: number | null;
  /** Simulated time from the stage's start to that look, or null. */
  readonly rollbackAfterMs: number | null;
  readonly looks: number;
  readonly last: LookDecision;
}

/** Mulberry32: a small seeded generator; the same seed gives the same run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY_MS = 86_400_000;

/**
 * Runs one stage of a plan on simulated traffic: each look, the interval's new units are exposed
 * (a treatment with the stage's percent, split evenly between treatments), have the events
 * `behave` gives them, and are tallied and judged exactly as the monitor does. Stops at the first
 * rollback. Deterministic for a seed.
 *
 * @example
 * ```ts
 * const plan = parsePlan({ experiment: 'checkout_v2', variants: ['old', 'new'], events: ['checkout_error'],
 *   guardrails: ['rate:checkout_error:2%:5%'], stages: [{ percent: 5, minDuration: '72h' }], interval: '10m' });
 * const run = simulateStage({ plan, seed: 1, looks: 432, unitsPerDay: 10_000,
 *   behave: (arm, t, random) => (random() < (arm === 1 && t > DAY ? 0.06 : 0.01) ? [{ name: 'checkout_error' }] : []) });
 * console.log(run.rollbackAfterMs);
 * ```
 */
export function simulateStage(options: SimulateStageOptions): StageSimulation {
  const { plan, looks, unitsPerDay, behave } = options;
  const stageIndex = options.stage ?? 0;
  const stage = plan.stages[stageIndex]!;
  const random = seeded(options.seed);
  const start = Date.UTC(2026, 0, 1);
  const tally = new StageTally(plan, { tallies: emptyTallies(plan, stageIndex), exposures: plan.variants.map(() => 0), units: {}, counts: EMPTY_COUNTS });
  const perLook = (unitsPerDay * plan.intervalMs) / DAY_MS;
  const treatments = plan.variants.length - 1;
  let carry = 0;
  let unit = 0;
  let last: LookDecision | undefined;
  let windowed = tally.talliesNow();
  const looksInWindow = recentLooks(plan);
  for (let look = 1; look <= looks; look++) {
    const lookStart = (look - 1) * plan.intervalMs;
    carry += perLook;
    const arrivals = Math.floor(carry);
    carry -= arrivals;
    for (let i = 0; i < arrivals; i++) {
      const elapsed = lookStart + ((i + random()) / arrivals) * plan.intervalMs;
      const arm = random() < stage.percent / 100 ? 1 + Math.floor(random() * treatments) : 0;
      const id = `u${unit++}`;
      const time = start + elapsed;
      tally.event({ flavor: 'bucketry', name: plan.exposureEvent, unit: id, time, id: undefined, properties: { experiment: plan.experiment, variant: plan.variants[arm] } });
      for (const e of behave(arm, elapsed, random)) tally.event({ flavor: 'bucketry', name: e.name, unit: id, time, id: undefined, properties: e.properties ?? {} });
    }
    windowed = withRecent(windowed, tally.talliesNow(), looksInWindow);
    last = decideLook(plan, { stage: stageIndex, stageStartedAt: new Date(start).toISOString(), tallies: windowed, exposures: tally.exposures, sourceError: null, now: new Date(start + look * plan.intervalMs) });
    if (last.verdict === 'ROLLBACK') return { rollbackLook: look, rollbackAfterMs: look * plan.intervalMs, looks: look, last };
  }
  return { rollbackLook: null, rollbackAfterMs: null, looks, last: last! };
}
