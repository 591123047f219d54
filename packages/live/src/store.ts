import type { RolloutChange, RolloutRecord, RolloutSnapshot } from './record.js';

/**
 * One change a writer asks a store to make, atomically: the store compares the record's version
 * with `expectedVersion` (0: no record yet; `undefined`: no comparison), bumps it, and appends the
 * history entry in the same step. `force` (the kill switch) skips the comparison, never the history.
 *
 * @example
 * ```ts
 * const write: RolloutWrite = {
 *   rollout: 0, enabled: true, actor: 'ana', phase: 'rollback', reason: 'errors up', at: new Date().toISOString(),
 *   expectedVersion: undefined, force: true,
 * };
 * await store.write('skill_tree_layout', write);
 * ```
 */
export interface RolloutWrite {
  readonly rollout: number;
  readonly enabled: boolean;
  readonly actor: string;
  readonly phase: string | null;
  readonly reason: string | null;
  /** ISO 8601. */
  readonly at: string;
  readonly expectedVersion: number | undefined;
  readonly force: boolean;
}

/**
 * Where rollout records live, whatever the backend: read them all at once, change one with
 * compare-and-set, read an experiment's history, and be told when something changed. The file,
 * PostgreSQL and Redis stores implement it; {@link createStoreSource} turns one into a live source.
 *
 * @example
 * ```ts
 * const store: RolloutStore = createPostgresStore({ connectionString: process.env.DATABASE_URL });
 * const { rollouts } = await store.read();
 * ```
 */
export interface RolloutStore {
  /** `file`, `postgres` or `redis`: the source name clients report in `status().source`. */
  readonly kind: string;
  /** Every record. Rejects when the store cannot be reached or holds something invalid. */
  read(): Promise<RolloutSnapshot>;
  /** Changes one record atomically; rejects with {@link RolloutConflictError} when the version is not the one expected. */
  write(experiment: string, change: RolloutWrite): Promise<{ readonly record: RolloutRecord; readonly previous: RolloutRecord | null }>;
  /** The experiment's changes, oldest first. */
  history(experiment: string): Promise<readonly RolloutChange[]>;
  /**
   * Calls `onChange` when any record may have changed (and after a reconnection, when changes may
   * have been missed); `onError` when the push channel fails. Returns the stop.
   */
  watch(onChange: () => void, onError: (error: unknown) => void): () => Promise<void>;
  /** Releases connections and watchers. */
  close(): Promise<void>;
}

/**
 * Two writers changed the same experiment at once and this one lost: the record's version is no
 * longer the one it read. Nothing was changed; read the current state and decide again.
 *
 * @example
 * ```ts
 * try {
 *   await setRollout(store, 'skill_tree_layout', { percent: 50, expectedVersion: 3 });
 * } catch (error) {
 *   if (error instanceof RolloutConflictError) console.error(error.message); // names version 3 and the one found
 * }
 * ```
 */
export class RolloutConflictError extends Error {
  override name = 'RolloutConflictError';
  /** The record as the winner left it; `null` if there is none. */
  readonly found: RolloutRecord | null;
  constructor(
    readonly experiment: string,
    readonly expectedVersion: number,
    found: RolloutRecord | null,
  ) {
    const now = found
      ? `version ${found.version} (${found.rollout}%${found.enabled ? '' : ', disabled'}, set by ${found.actor} at ${found.updatedAt}${found.reason ? `: ${found.reason}` : ''})`
      : 'no record (version 0)';
    super(
      `${experiment}: expected version ${expectedVersion} but found ${now}; another change came first and nothing was written. ` +
        `Read the current rollout and retry with expected version ${found?.version ?? 0}`,
    );
    this.found = found;
  }

  /** The version the store holds now (0 for none). */
  get foundVersion(): number {
    return this.found?.version ?? 0;
  }
}

/** The comparison every store makes inside its atomic step. */
export function checkExpected(experiment: string, change: RolloutWrite, found: RolloutRecord | null): void {
  if (change.force || change.expectedVersion === undefined) return;
  if ((found?.version ?? 0) !== change.expectedVersion) throw new RolloutConflictError(experiment, change.expectedVersion, found);
}

/** The record a write leaves, given the one it replaces. */
export function nextRecord(change: RolloutWrite, previous: RolloutRecord | null): RolloutRecord {
  return {
    rollout: change.rollout,
    enabled: change.enabled,
    version: (previous?.version ?? 0) + 1,
    updatedAt: change.at,
    actor: change.actor,
    phase: change.phase,
    reason: change.reason,
    ...(previous?.config ? { config: previous.config } : {}),
  };
}

/** The history entry of a write. */
export function changeOf(experiment: string, record: RolloutRecord, previous: RolloutRecord | null): RolloutChange {
  return {
    experiment,
    version: record.version,
    at: record.updatedAt,
    actor: record.actor,
    from: previous && { rollout: previous.rollout, enabled: previous.enabled },
    to: { rollout: record.rollout, enabled: record.enabled },
    phase: record.phase,
    reason: record.reason,
  };
}
