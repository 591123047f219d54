import type { Assignment, AssignmentReason } from './assign.js';
import { newEventId } from './event-id.js';

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
 *   eventId: '0b9e5f4c-6d1a-4c8e-9f0a-2b7d3e1c5a64',
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
  /**
   * This event's id, a random UUID (version 4) made once when the event is: every retry of the
   * event re-sends it, and no other event has it. A collector that keeps one event per id drops
   * the duplicates that retries make (an attempt that timed out may still land).
   */
  readonly eventId: string;
  /** For an interleaving experiment (docs/spec.md §13): the list the unit was shown. */
  readonly interleaving?: InterleavingRecord;
}

/**
 * What an interleaving exposure records: the query, the method, the item ids in the order shown,
 * and the team credited with each position (`null`: no team).
 *
 * @example
 * ```ts
 * const record: InterleavingRecord = { query: 'home', method: 'team-draft', items: ['s1', 's3'], teams: ['A', 'B'] };
 * ```
 */
export interface InterleavingRecord {
  readonly query: string;
  readonly method: 'team-draft' | 'balanced';
  readonly items: readonly string[];
  readonly teams: readonly ('A' | 'B' | null)[];
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
 * The exposure event for an assignment, or `undefined` when none is due. Each call makes a new
 * event with a new `eventId` (unless one is given): build an event once and re-send that object,
 * never a rebuilt one, when delivering it again.
 *
 * @param now - the event's time, in ms since the epoch
 * @param eventId - the event's id; default a new random UUID
 * @example
 * ```ts
 * const event = exposureFor(assignVariant(skillTree, 'user-42'), skillTree.version);
 * if (event) sink.write(event);
 * ```
 */
export function exposureFor(
  assignment: Assignment,
  configVersion: string,
  now: number = Date.now(),
  eventId?: string,
): ExposureEvent | undefined {
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
    // Made only when an event is due: a unit not in the experiment costs no random draw.
    eventId: eventId ?? newEventId(),
  };
}
