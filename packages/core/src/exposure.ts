import type { Assignment, AssignmentReason } from './assign.js';

/**
 * The event name every exposure carries.
 *
 * @example
 * ```ts
 * analytics.track(EXPOSURE_EVENT, { experiment: 'skill_tree_layout', variant: 'list' });
 * ```
 */
export const EXPOSURE_EVENT = 'experiment_exposure';

/**
 * One exposure: a unit saw a variant of an experiment. Only units in the experiment are
 * exposed (reasons `bucketed` and `sticky`); overridden, ineligible, held-out and out-of-traffic
 * units are not, so they never skew the analysis.
 *
 * @example
 * ```ts
 * const event: ExposureEvent = {
 *   event: 'experiment_exposure', experiment: 'skill_tree_layout', variant: 'list', unit: 'user-42',
 *   reason: 'bucketed', bucket: 81234, timestamp: '2026-11-21T10:00:00.000Z', configVersion: '3690faca',
 * };
 * ```
 */
export interface ExposureEvent {
  readonly event: typeof EXPOSURE_EVENT;
  readonly experiment: string;
  readonly variant: string;
  /** The unit's canonical key. */
  readonly unit: string;
  readonly reason: AssignmentReason;
  /** The rollout bucket, 0–999,999 (-1 for sticky records). */
  readonly bucket: number;
  /** ISO 8601, UTC. */
  readonly timestamp: string;
  /** The experiment's version, so analyses can keep ramp stages apart. */
  readonly configVersion: string;
}

/**
 * Where exposures go. `write` may return a promise; whatever it does (throw, reject, never
 * settle) does not touch the assignment that caused it — errors go to the client's `onError`.
 *
 * @example
 * ```ts
 * const consoleSink: ExposureSink = { write: (event) => console.log(JSON.stringify(event)) };
 * ```
 */
export interface ExposureSink {
  write(event: ExposureEvent): void | Promise<void>;
  /** Delivers everything still queued. */
  flush?(): Promise<void>;
  /** Delivers everything still queued and stops taking events. */
  close?(): Promise<void>;
}

/**
 * The exposure event for an assignment, or `undefined` when none is due.
 *
 * @example
 * ```ts
 * const event = exposureFor(assignVariant(skillTree, 'user-42'), skillTree.version);
 * if (event) sink.write(event);
 * ```
 */
export function exposureFor(assignment: Assignment, configVersion: string, now: number = Date.now()): ExposureEvent | undefined {
  if (!assignment.inExperiment) return undefined;
  return {
    event: EXPOSURE_EVENT,
    experiment: assignment.experiment,
    variant: assignment.variant,
    unit: assignment.unit,
    reason: assignment.reason,
    bucket: assignment.bucket,
    timestamp: new Date(now).toISOString(),
    configVersion,
  };
}
