// The plain data the monitor, its state file, the status page and the reports share. JSON-safe:
// everything here is written to the state file and read back as it is.
import type { Guardrail } from '@bucketry/analyze';

/**
 * One stage of a rollout plan: the share of units that get the treatment, how long it must run at
 * least, and the guardrails judged while it runs.
 *
 * @example
 * ```ts
 * const canary: PlanStage = { name: 'canary', percent: 5, minDuration: '72h', minDurationMs: 259_200_000, guardrails: [parseGuardrailSpec('rate:checkout_error:2%:5%')] };
 * ```
 */
export interface PlanStage {
  /** As the plan names it, default `stage-<n>` (from 1). */
  readonly name: string;
  /** Rollout percent of this stage, above 0 and up to 100, rising from stage to stage. */
  readonly percent: number;
  /** The minimum duration as written, e.g. `72h`, `7d`, `5m`. */
  readonly minDuration: string;
  readonly minDurationMs: number;
  /** The plan's guardrails followed by the stage's own. */
  readonly guardrails: readonly Guardrail[];
}

/**
 * A validated rollout plan (see `parsePlan`).
 *
 * @example
 * ```ts
 * const plan: Plan = parsePlan(JSON.parse(readFileSync('rollout-plan.json', 'utf8')));
 * console.log(plan.stages.map((s) => `${s.percent}% for ${s.minDuration}`).join(' → '));
 * ```
 */
export interface Plan {
  readonly experiment: string;
  /** Control first, then the treatments. */
  readonly variants: readonly string[];
  /** The event names the application tracks; every guardrail's metric or event must be one of them. */
  readonly events: readonly string[];
  /** The exposure event's name, default `experiment_exposure`. */
  readonly exposureEvent: string;
  readonly stages: readonly PlanStage[];
  /** Time between looks as written, e.g. `10m`. */
  readonly interval: string;
  readonly intervalMs: number;
  /** The false-rollback rate the always-valid tests keep to over any number of looks, default 0.05. */
  readonly alpha: number;
  /** Units (both arms) near which the always-valid tests are sharpest, default 10,000. */
  readonly horizon: number;
  /** Units (or, for durations and values, observations) each arm needs before a guardrail can pass, default 100. */
  readonly minSamples: number;
  /**
   * How far back "the treatment now" reaches, as written (default `6h`): a rollback needs the
   * rollback limit within reach of the recent data, not of the whole stage's, which hours of good
   * traffic before a regression would dilute.
   */
  readonly recentWindow: string;
  readonly recentWindowMs: number;
  /** `auto`: the monitor advances; `manual`: it reports "ready to advance" and waits for `bucketry rollout advance`. */
  readonly advance: 'auto' | 'manual';
  /** Slack-compatible webhook URL told about stage changes and rollbacks, or null. */
  readonly webhook: string | null;
}

/**
 * PROCEED, HOLD or ROLLBACK: what one look concludes.
 *
 * @example
 * ```ts
 * const verdict: Verdict = decision.verdict; // 'ROLLBACK'
 * ```
 */
export type Verdict = 'PROCEED' | 'HOLD' | 'ROLLBACK';

/**
 * Why a decision is what it is, as a stable code a log system can match.
 *
 * @example
 * ```ts
 * const reason: ReasonCode = 'guardrail-breached';
 * ```
 */
export type ReasonCode =
  /** A guardrail is beyond its rollback limit and worse than control, with always-valid confidence. */
  | 'guardrail-breached'
  /** Some guardrail cannot pass yet: too few samples, or its bounds straddle a limit. */
  | 'guardrail-pending'
  /** Every guardrail passes but the stage has not run its minimum duration. */
  | 'min-duration'
  /** Every guardrail passes and the stage ran its minimum duration. */
  | 'all-clear'
  /** No exposures of this experiment have been read in this stage. */
  | 'no-data'
  /** The arms' exposures are far from the stage's split (always-valid test, p < 0.001): the data cannot be trusted until the cause is found. */
  | 'sample-ratio-mismatch'
  /** The event source could not be read this look; nothing was decided from it. */
  | 'source-unreadable'
  /** A manual plan's stage is clear; waiting for `bucketry rollout advance`. */
  | 'awaiting-approval'
  /** The store's rollout is not the stage's percent (someone changed it by hand); the monitor does not fight it. */
  | 'store-changed'
  /** The store could not be read or written. */
  | 'store-unreachable';

/**
 * Where the monitor stopped reading its event source: the next look starts there.
 *
 * @example
 * ```ts
 * const cursor: EventCursor = { kind: 'file', path: '/var/log/events.jsonl', offset: 1_048_576, identity: '2049:1234' };
 * ```
 */
export type EventCursor =
  /** A growing JSONL file: the byte offset after the last whole line read; identity is device:inode, to notice a replaced file. */
  | { readonly kind: 'file'; readonly path: string; readonly offset: number; readonly identity: string }
  /** A growing gzip file: re-read from its start each look, lines before `decompressedOffset` skipped. */
  | { readonly kind: 'gzip'; readonly path: string; readonly decompressedOffset: number; readonly identity: string }
  /** A directory of hourly files read in name order: the files finished, and the offset in the one being read. */
  | { readonly kind: 'directory'; readonly path: string; readonly finished: readonly string[]; readonly current: string | null; readonly offset: number }
  /** A PostgreSQL events table read by (timestamp, event_id): the last row read. */
  | { readonly kind: 'postgres'; readonly table: string; readonly timestamp: string | null; readonly eventId: string | null; readonly readAt?: string | null };

/**
 * One arm's running tally for one guardrail. Which fields count depends on the guardrail's type:
 * `rate` and `non-inferiority`: `n` exposed units, `hits` of them with the metric event after
 * exposure; `percentile`: `n` durations, `hits` above the hold limit, `over` above the rollback
 * limit; `mean`: `n` values, their `sum` and `sumSquares`.
 *
 * @example
 * ```ts
 * const arm: ArmTally = { variant: 'new', n: 5000, hits: 61, over: 0, sum: 0, sumSquares: 0 };
 * ```
 */
export interface ArmTally {
  readonly variant: string;
  readonly n: number;
  readonly hits: number;
  readonly over: number;
  readonly sum: number;
  readonly sumSquares: number;
}

/**
 * One guardrail's tallies in the current stage, one per variant (control first).
 *
 * @example
 * ```ts
 * const [control, treatment] = state.tallies[0].arms;
 * ```
 */
export interface GuardrailTally {
  /** e.g. "checkout_error rate below 2.0% (rollback above 5.0%)". */
  readonly label: string;
  readonly guardrail: Guardrail;
  readonly arms: readonly ArmTally[];
  /** What each of the last looks within the plan's recent window added to `arms`, oldest first; absent before the first look. */
  readonly recent?: readonly (readonly ArmTally[])[];
}

/**
 * One treatment's numbers behind a guardrail verdict: the estimate and its always-valid
 * confidence sequence at level 1 − α, and the same for the difference from control.
 *
 * @example
 * ```ts
 * const arm: ArmJudgement = { variant: 'new', samples: 5000, estimate: 0.061, low: 0.052, high: 0.071, difference: { estimate: 0.05, low: 0.04, high: 0.06 }, verdict: 'ROLLBACK' };
 * ```
 */
export interface ArmJudgement {
  readonly variant: string;
  /** Units, durations or values behind the estimate. */
  readonly samples: number;
  /** A rate, a share of durations above the limit, a mean, or a relative lift; null without data. */
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Treatment minus control (relative lift for non-inferiority), with its confidence sequence; null without data. */
  readonly difference: { readonly estimate: number; readonly low: number; readonly high: number } | null;
  readonly verdict: Verdict;
}

/**
 * One guardrail at one look.
 *
 * @example
 * ```ts
 * for (const g of decision.guardrails) console.log(g.verdict, g.label, g.message);
 * ```
 */
export interface GuardrailJudgement {
  readonly label: string;
  readonly verdict: Verdict;
  /** Says what the numbers are and, for HOLD, what is missing (and the baseline, when one was recorded). */
  readonly message: string;
  readonly arms: readonly ArmJudgement[];
  /** The metric before the first stage (`bucketry baseline`), on the guardrail's scale; null when none was recorded. */
  readonly baseline?: number | null;
}

/**
 * One decision: what a look concluded, why (a code and a sentence with the numbers), what the
 * monitor did about it, and the evidence it stood on (the read position after the look). One JSON
 * line on stdout and one entry in the store's history each.
 *
 * @example
 * ```ts
 * const decision: Decision = JSON.parse(line);
 * if (decision.verdict === 'ROLLBACK') page(decision.message);
 * ```
 */
export interface Decision {
  readonly experiment: string;
  /** ISO 8601. */
  readonly at: string;
  /** Look number, from 1, across restarts. */
  readonly look: number;
  readonly verdict: Verdict;
  readonly reason: ReasonCode;
  readonly message: string;
  /** What the monitor did: `advanced` to the next stage, `rolled-back` to 0%, `ready-to-advance` (manual plans), `completed` (last stage clear), or `none`. */
  readonly action: 'advanced' | 'rolled-back' | 'ready-to-advance' | 'completed' | 'none';
  /** The stage judged (index from 0) and its percent. */
  readonly stage: number;
  readonly stageName: string;
  readonly percent: number;
  /** The rollout percent after the action. */
  readonly toPercent: number;
  /** Exposed units per variant in the stage so far (control first). */
  readonly exposures: readonly number[];
  readonly guardrails: readonly GuardrailJudgement[];
  /** The read position after this look: a decision is never made twice on the same evidence. */
  readonly evidence: EventCursor | null;
}

/**
 * What a monitor is doing: watching a stage, waiting for approval (manual plans), or finished.
 *
 * @example
 * ```ts
 * const status: MonitorStatus = state.status; // 'ready-to-advance'
 * ```
 */
export type MonitorStatus = 'running' | 'ready-to-advance' | 'rolled-back' | 'completed';

/**
 * Counts of everything read and everything set aside, so nothing is dropped unseen.
 *
 * @example
 * ```ts
 * if (state.counts.badLines > 0) console.warn(`${state.counts.badLines} lines could not be read`);
 * ```
 */
export interface ReadCounts {
  readonly lines: number;
  readonly badLines: number;
  /** Exposures to other experiments, or to variants the plan does not name. */
  readonly otherExposures: number;
  /** Tracked events of units not (yet) exposed in this stage, or timed before their exposure. */
  readonly unattributed: number;
  /** Bytes (or rows) read, in all. */
  readonly bytesRead: number;
  /** Exposures timed before the stage started (an export's history, a stage's predecessor): not counted in the stage. */
  readonly beforeStage?: number;
  /** Rows that reached a PostgreSQL table after the read position had passed their time: not counted (raise `settle`). */
  readonly late?: number;
}

/**
 * What a monitor persists between looks and across restarts: the stage, its start, the tallies,
 * the read position, the decisions. The status page and the reports read it.
 *
 * @example
 * ```ts
 * const state: MonitorState = JSON.parse(readFileSync('rollout-plan.state.json', 'utf8'));
 * console.log(`${state.stageName} at ${state.percent}% since ${state.stageStartedAt}; last look ${state.lastLookAt}`);
 * ```
 */
export interface MonitorState {
  readonly format: 1;
  readonly experiment: string;
  readonly status: MonitorStatus;
  /** Index of the current stage, from 0. */
  readonly stage: number;
  readonly stageName: string;
  readonly percent: number;
  /** ISO 8601: when the store was set to this stage. */
  readonly stageStartedAt: string;
  readonly look: number;
  readonly lastLookAt: string | null;
  readonly cursor: EventCursor | null;
  /** Per guardrail of the current stage. */
  readonly tallies: readonly GuardrailTally[];
  /** Exposed units per variant in the current stage (control first). */
  readonly exposures: readonly number[];
  readonly counts: ReadCounts;
  /**
   * The units exposed in the current stage: variant index, exposure time (epoch ms), and a bit per
   * rate or non-inferiority guardrail whose event the unit has had since. Internal to the tally.
   */
  readonly units: Readonly<Record<string, readonly [variant: number, exposedAt: number, flags: number]>>;
  /** Every decision, oldest first. */
  readonly decisions: readonly Decision[];
  /** A store change decided but not yet confirmed written; finished (never repeated) on restart. */
  readonly pending: { readonly look: number; readonly toPercent: number; readonly tag: string } | null;
}
