import type { RolloutSnapshot } from './record.js';

/**
 * The experiments whose rollout record `previous` held and `next` does not. Records are never
 * deleted (the kill switch is a record at 0), so a record that disappears means the store lost
 * data: a Redis restarted without persistence, a table restored from an old backup. Applying such
 * a snapshot would silently send those experiments back to their base rollout.
 * @internal
 */
export const lostRecords = (previous: RolloutSnapshot | undefined, next: RolloutSnapshot): string[] =>
  previous === undefined ? [] : Object.keys(previous.rollouts).filter((key) => !Object.hasOwn(next.rollouts, key));
