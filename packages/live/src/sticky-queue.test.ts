import { afterEach, describe, expect, it, vi } from 'vitest';
import { stickySettings, type StickyErrorContext, type StickyStoreOptions } from './sticky-options.js';
import { createWriteQueue, type StickyWrite, type WriteQueue } from './sticky-queue.js';
import { waitFor } from './test-support/services.js';

// The queue's own rules, over a writer in memory; the stores' tests check them against PostgreSQL and Redis.
const record = (unit: string, variant = 'list', replaces?: string): StickyWrite => ({
  unit, experiment: 'skill_tree_layout', variant, configVersion: null, assignedAt: new Date(0), replaces,
});

const queues: WriteQueue[] = [];
afterEach(async () => void (await Promise.all(queues.splice(0).map((queue) => queue.close(0)))));

function setup(options: StickyStoreOptions, fail: (attempt: number) => boolean | 'hang' = () => false) {
  const batches: StickyWrite[][] = [];
  const errors: { error: unknown; context: StickyErrorContext }[] = [];
  let attempts = 0;
  const settings = stickySettings({ flushInterval: 600_000, ...options, onError: (error, context) => void errors.push({ error, context }) }, 'test', 'memory');
  const queue = createWriteQueue(settings, 'memory', async (batch) => {
    const outcome = fail(++attempts);
    if (outcome === 'hang') return new Promise<number>(() => {});
    if (outcome) throw new Error(`attempt ${attempts} failed`);
    batches.push([...batch]);
    return batch.length;
  });
  queues.push(queue);
  return { queue, batches, errors, attempts: () => attempts };
}

describe('sticky write queue', () => {
  it('writes a full batch at once and the rest on flush: N records in ceil(N / batchSize) writes', async () => {
    const { queue, batches } = setup({ batchSize: 100 });
    for (let i = 0; i < 250; i++) queue.add(record(`u${i}`));
    await waitFor('two full batches', () => batches.length === 2);
    expect(queue.counts().queued).toBe(50); // the interval (10 minutes) has not passed
    await queue.flush(10_000);
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((write) => write.unit)).toEqual(Array.from({ length: 250 }, (_, i) => `u${i}`));
    expect(queue.counts()).toMatchObject({ queued: 0, written: 250, batches: 3, failedBatches: 0, dropped: 0 });
  });

  it('writes a partial batch after flushInterval without a flush', async () => {
    const { queue, batches } = setup({ batchSize: 100, flushInterval: 20 });
    for (let i = 0; i < 7; i++) queue.add(record(`u${i}`));
    await waitFor('the batch', () => batches.length === 1);
    expect(batches[0]).toHaveLength(7);
  });

  it('keeps one record per unit and experiment: the latest variant, replacing what the first one replaced', async () => {
    const { queue, batches } = setup({});
    queue.add(record('u1', 'list', 'old'));
    queue.add(record('u1', 'grid', 'list'));
    await queue.flush(10_000);
    expect(batches).toEqual([[record('u1', 'grid', 'old')]]);
  });

  it('drops records beyond maxQueue, counts them and reports them (once a second, with the count)', async () => {
    const { queue, batches, errors } = setup({ maxQueue: 3 });
    for (let i = 0; i < 5; i++) queue.add(record(`u${i}`));
    queue.add(record('u0', 'grid')); // replaces a queued one: no room needed
    expect(queue.counts()).toMatchObject({ queued: 3, dropped: 2 });
    await waitFor('the drop report', () => errors.length > 0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.context).toEqual({ store: 'memory', stage: 'drop', records: 2, reason: 'queue_full' });
    expect(String(errors[0]!.error)).toContain('2 sticky record(s) dropped: the write queue was full (maxQueue) (3 records)');
    await queue.flush(10_000);
    expect(batches.flat().map((write) => `${write.unit}=${write.variant}`)).toEqual(['u0=grid', 'u1=list', 'u2=list']);
  });

  it('retries a failed batch with backoff, reporting each failure, until it is written', async () => {
    // The clock is the test's, and the jitter at its top: the waits are retryDelay, then doubled.
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    try {
      const { queue, batches, errors, attempts } = setup({ retryDelay: 1_000 }, (attempt) => attempt <= 2);
      queue.add(record('u1'));
      queue.add(record('u2'));
      const flushed = queue.flush(20_000);
      const attemptsAt = async (ms: number): Promise<number> => (await vi.advanceTimersByTimeAsync(ms), attempts());
      expect(await attemptsAt(0)).toBe(1);
      expect(await attemptsAt(999)).toBe(1); // not before the first wait
      expect(await attemptsAt(1)).toBe(2);
      expect(await attemptsAt(1_999)).toBe(2); // nor before the second, twice as long
      expect(await attemptsAt(1)).toBe(3);
      await flushed;
      expect(batches).toEqual([[record('u1'), record('u2')]]);
      expect(errors.map(({ context }) => context)).toEqual([
        { store: 'memory', stage: 'write', records: 2 },
        { store: 'memory', stage: 'write', records: 2 },
      ]);
      expect(queue.counts()).toMatchObject({ written: 2, failedBatches: 2, batches: 1, queued: 0 });
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });

  it('sends a record set again while its batch failed with what the failed one replaced', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batches: StickyWrite[][] = [];
    let attempts = 0;
    const settings = stickySettings({ flushInterval: 0, retryDelay: 10, onError: () => {} }, 'test', 'memory');
    const queue = createWriteQueue(settings, 'memory', async (batch) => {
      if (++attempts === 1) {
        await gate;
        throw new Error('down');
      }
      batches.push([...batch]);
      return batch.length;
    });
    queues.push(queue);
    queue.add(record('u1', 'list', 'old'));
    await waitFor('the first attempt', () => attempts === 1);
    queue.add(record('u1', 'grid', 'list')); // the cache saw 'list', which the store never got
    release();
    await queue.flush(20_000);
    expect(batches).toEqual([[record('u1', 'grid', 'old')]]);
  });

  it('counts a write that never settles as failed after writeTimeout, and retries it', async () => {
    const { queue, batches, errors } = setup({ writeTimeout: 50, retryDelay: 10 }, (attempt) => (attempt === 1 ? 'hang' : false));
    queue.add(record('u1'));
    await queue.flush(20_000);
    expect(batches).toEqual([[record('u1')]]);
    expect(String(errors[0]!.error)).toContain('took longer than writeTimeout (50 ms)');
  });

  it('flush resolves after its timeout while the store is down, keeping the records; close drops and reports them', async () => {
    const { queue, errors } = setup({ retryDelay: 10 }, () => true);
    queue.add(record('u1'));
    queue.add(record('u2'));
    await queue.flush(50);
    expect(queue.counts()).toMatchObject({ queued: 2, dropped: 0 });
    await queue.close(50);
    expect(queue.counts()).toMatchObject({ queued: 0, dropped: 2 });
    const drop = errors.find(({ context }) => context.stage === 'drop')!;
    expect(drop.context).toEqual({ store: 'memory', stage: 'drop', records: 2, reason: 'closed' });
    expect(String(drop.error)).toContain("2 sticky record(s) not written before close's deadline (50 ms)");

    queue.add(record('u3')); // after close
    expect(queue.counts()).toMatchObject({ queued: 0, dropped: 3 });
    await waitFor('the report of the record set after close', () => errors.some(({ context }) => context.reason === 'closed' && context.records === 1));
  });

  it('close writes what is queued first', async () => {
    const { queue, batches } = setup({});
    queue.add(record('u1'));
    await queue.close(10_000);
    expect(batches).toEqual([[record('u1')]]);
    expect(queue.counts()).toMatchObject({ written: 1, dropped: 0 });
  });
});
