import { backoffDelay, quietTimer } from './backoff.js';
import type { StickyErrorContext, StickySettings } from './sticky-options.js';

/** One record on its way to the store. */
export interface StickyWrite {
  readonly unit: string;
  readonly experiment: string;
  readonly variant: string;
  readonly configVersion: string | null;
  readonly assignedAt: Date;
  /**
   * The variant this record replaces, as the cache knew it: the store overwrites its record only
   * when it still holds that variant. `undefined`: the store writes it only when it holds none,
   * so a unit bucketed without its records (the store was down) never overwrites them.
   */
  readonly replaces: string | undefined;
}

/** Writes one batch and resolves with how many records the store took (the rest it already held otherwise). */
export type WriteBatch = (batch: readonly StickyWrite[]) => Promise<number>;

type DropReason = NonNullable<StickyErrorContext['reason']>;

/** The counters of a {@link WriteQueue}. */
export interface WriteCounts {
  readonly queued: number;
  readonly written: number;
  readonly kept: number;
  readonly dropped: number;
  readonly batches: number;
  readonly failedBatches: number;
}

/** Records queued by `set` and written in batches, one batch at a time, retried with backoff until written or closed. */
export interface WriteQueue {
  /** Queues a record (replacing one queued for the same unit and experiment); drops it, counted and reported, when full or closed. */
  add(write: StickyWrite): void;
  /** Counts and reports records that will never be queued. */
  drop(records: number, reason: DropReason, error?: unknown): void;
  flush(timeout: number): Promise<void>;
  close(timeout: number): Promise<void>;
  counts(): WriteCounts;
}

interface Queued {
  readonly write: StickyWrite;
  readonly seq: number;
}

const WHY: Record<DropReason, string> = {
  queue_full: 'the write queue was full (maxQueue)',
  closed: 'the store was closed',
  unstorable: 'the store cannot hold the text',
};

/** A {@link WriteQueue} in front of `writeBatch`; `store` names the store in reports. */
export function createWriteQueue(settings: StickySettings, store: string, writeBatch: WriteBatch): WriteQueue {
  const { batchSize, flushInterval, maxQueue, report } = settings;
  // Insertion order is write order; a record set again for the same unit and experiment keeps its place.
  let pending = new Map<string, Queued>();
  let inFlight: readonly Queued[] = [];
  let seq = 0;
  let written = 0, kept = 0, dropped = 0, batches = 0, failedBatches = 0, failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let urgent = false; // the timer fires at once rather than after the interval
  let retrying = false;
  let writing = false;
  let closed = false;
  let stopped = false;
  let closing: Promise<void> | undefined;
  let waiters: { readonly seq: number; readonly done: () => void }[] = [];
  const unreported: Record<DropReason, number> = { queue_full: 0, closed: 0, unstorable: 0 };
  let dropTimer: ReturnType<typeof setTimeout> | undefined;

  // The experiment's length first: no unit or experiment text can make two pairs share a key.
  const keyOf = (write: StickyWrite): string => `${write.experiment.length}:${write.experiment}:${write.unit}`;

  const reportDrops = (): void => {
    if (dropTimer) clearTimeout(dropTimer);
    dropTimer = undefined;
    for (const reason of Object.keys(unreported) as DropReason[]) {
      const records = unreported[reason];
      if (records === 0) continue;
      unreported[reason] = 0;
      const rule = reason === 'queue_full' ? ` (${maxQueue} records)` : '';
      report(new Error(`${records} sticky record(s) dropped: ${WHY[reason]}${rule}; they stay in this instance's cache but will not reach the store`), {
        store, stage: 'drop', records, reason,
      });
    }
  };

  const drop: WriteQueue['drop'] = (records, reason, error) => {
    dropped += records;
    if (error !== undefined) return report(error, { store, stage: 'drop', records, reason });
    unreported[reason] += records;
    // At most one report a second per reason, each with the count since the last.
    dropTimer ??= quietTimer(reportDrops, 1_000);
  };

  const oldestSeq = (): number => {
    let oldest = Infinity;
    for (const queued of inFlight) oldest = Math.min(oldest, queued.seq);
    for (const queued of pending.values()) oldest = Math.min(oldest, queued.seq);
    return oldest;
  };

  const settle = (): void => {
    if (waiters.length === 0) return;
    const oldest = oldestSeq();
    for (const waiter of waiters.filter((w) => w.seq < oldest)) waiter.done();
  };

  const schedule = (): void => {
    if (stopped || writing || retrying || pending.size === 0) return;
    const now = pending.size >= batchSize || waiters.length > 0;
    if (timer && (urgent || !now)) return;
    if (timer) clearTimeout(timer);
    urgent = now;
    // Not unref'd: a process ending on its own first writes what it queued.
    timer = setTimeout(() => void pump(), now ? 0 : flushInterval);
  };

  // A failed batch goes back to the front; a record set again meanwhile replaces what the failed one would have.
  const requeue = (batch: readonly Queued[]): void => {
    const back = new Map<string, Queued>();
    for (const queued of batch) {
      const key = keyOf(queued.write);
      const newer = pending.get(key);
      if (newer) pending.set(key, { write: { ...newer.write, replaces: queued.write.replaces }, seq: newer.seq });
      else back.set(key, queued);
    }
    pending = new Map([...back, ...pending]);
  };

  const pump = async (): Promise<void> => {
    timer = undefined;
    if (stopped || writing || pending.size === 0) return;
    writing = true;
    const batch: Queued[] = [];
    for (const [key, queued] of pending) {
      pending.delete(key);
      batch.push(queued);
      if (batch.length === batchSize) break;
    }
    inFlight = batch;
    let failed = false;
    try {
      const stored = await within(writeBatch(batch.map((queued) => queued.write)), settings.writeTimeout, batch.length);
      if (stopped) return; // close already counted it as dropped
      written += stored;
      kept += batch.length - stored;
      batches++;
      failures = 0;
    } catch (error) {
      if (stopped) return;
      failed = true;
      failedBatches++;
      failures++;
      report(error, { store, stage: 'write', records: batch.length });
      requeue(batch);
    } finally {
      inFlight = [];
      writing = false;
    }
    settle();
    if (!failed) return schedule();
    retrying = true;
    timer = setTimeout(() => {
      retrying = false;
      void pump();
    }, backoffDelay(failures, settings.retryDelay, settings.maxRetryDelay));
  };

  const flush = (timeout: number): Promise<void> => {
    const target = seq;
    if (oldestSeq() > target) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        seq: target,
        done: () => {
          clearTimeout(deadline);
          waiters = waiters.filter((w) => w !== waiter);
          resolve();
        },
      };
      const deadline = setTimeout(waiter.done, timeout);
      waiters.push(waiter);
      schedule();
    });
  };

  return {
    add(write) {
      if (closed) return drop(1, 'closed');
      const key = keyOf(write);
      const queued = pending.get(key);
      if (queued) pending.set(key, { write: { ...write, replaces: queued.write.replaces }, seq: ++seq });
      else if (pending.size + inFlight.length >= maxQueue) return drop(1, 'queue_full');
      else pending.set(key, { write, seq: ++seq });
      schedule();
    },
    drop,
    flush,
    close(timeout) {
      if (closing) return closing;
      closed = true;
      if (retrying) {
        // Closing is the last chance: try at once rather than after the backoff.
        clearTimeout(timer);
        timer = undefined;
        retrying = false;
      }
      closing = flush(timeout).then(() => {
        stopped = true;
        if (timer) clearTimeout(timer);
        const left = pending.size + inFlight.length;
        pending.clear();
        inFlight = [];
        if (left > 0) {
          dropped += left;
          report(new Error(`${left} sticky record(s) not written before close's deadline (${timeout} ms); they are lost`), {
            store, stage: 'drop', records: left, reason: 'closed',
          });
        }
        reportDrops();
      });
      return closing;
    },
    counts: () => ({ queued: pending.size + inFlight.length, written, kept, dropped, batches, failedBatches }),
  };
}

/** `promise`, or a rejection after `ms` ms. */
function within<T>(promise: Promise<T>, ms: number, records: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`writing ${records} sticky record(s) took longer than writeTimeout (${ms} ms); retrying`)), ms);
  });
  promise.catch(() => {}); // settled after the timeout: already counted as failed
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
