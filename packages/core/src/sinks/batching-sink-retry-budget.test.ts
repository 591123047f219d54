import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exposureEvent as event, recordingDeliver, settle, watch } from '../test-support/batches.js';
import type { ExposureEvent } from '../exposure.js';
import { createBatchingSink, type BatchingSinkErrorInfo, type DeliverySignal } from './batching-sink.js';

// Retries within a time budget (issue #21: the fetch sink gave up after about 0.3 s of collector
// downtime), the wait a failed attempt asks for (Retry-After), and the AbortSignal each attempt
// gets, so a request that timed out or was left at a deadline is closed, not leaked.

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const down = () => Promise.reject(new Error('collector down'));
/** A failure that asks for the next attempt to wait `retryAfterMs`. */
const busy = (retryAfterMs: unknown) => Promise.reject(Object.assign(new Error('429'), { retryAfterMs }));

describe('createBatchingSink retry budget', () => {
  it('retries until the next retry would start budgetMs after the first attempt, then gives up', async () => {
    const starts: number[] = [];
    const { deliver } = recordingDeliver(() => (starts.push(Date.now()), down()));
    const reports: BatchingSinkErrorInfo[] = [];
    // random 1: waits of 100, 200, 400, 400 ms; attempts at 0, 100, 300, 700; the next would start at 1,100.
    const sink = createBatchingSink({ deliver, random: () => 1, retry: { budgetMs: 1_000, baseDelayMs: 100, maxDelayMs: 400 }, onError: (_e, info) => reports.push(info) });
    sink.write(event(0));
    const flushed = watch(sink.flush());
    await vi.advanceTimersByTimeAsync(699);
    expect(flushed.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed.settled).toBe(true);
    expect(starts).toEqual([0, 100, 300, 700]);
    expect(reports.at(-1)).toEqual({ kind: 'drop', events: 1, attempt: 4, reason: 'gave_up' });
    expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 1, failedAttempts: 4 });
  });

  it('retries for 5 minutes by default, with no limit on attempts but the budget', async () => {
    const starts: number[] = [];
    const { deliver } = recordingDeliver(() => (starts.push(Date.now()), down()));
    const sink = createBatchingSink({ deliver, random: () => 1, onError: () => {} });
    sink.write(event(0));
    const flushed = watch(sink.flush({ deadlineMs: 600_000 }));
    await vi.advanceTimersByTimeAsync(600_000);
    expect(flushed.settled).toBe(true);
    // Waits double from 100 ms up to the 10 s cap: far more than the 3 attempts of old.
    const waits = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(waits.slice(0, 8)).toEqual([100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000]);
    expect(new Set(waits.slice(7))).toEqual(new Set([10_000]));
    expect(starts.at(-1)!).toBeLessThan(300_000);
    expect(starts.at(-1)! + 10_000).toBeGreaterThanOrEqual(300_000);
    expect(sink.stats()).toMatchObject({ dropped: 1, failedAttempts: starts.length });
  });

  it('makes no retry with budgetMs 0, and retry.attempts still caps the attempts within the budget', async () => {
    for (const [retry, calls] of [
      [{ budgetMs: 0 }, 1],
      [{ attempts: 2 }, 2],
    ] as const) {
      const { deliver } = recordingDeliver(down);
      const sink = createBatchingSink({ deliver, random: () => 0, retry, onError: () => {} });
      sink.write(event(0));
      const flushed = watch(sink.flush());
      await vi.advanceTimersByTimeAsync(60_000);
      expect(flushed.settled).toBe(true);
      expect(deliver, JSON.stringify(retry)).toHaveBeenCalledTimes(calls);
    }
  });

  it('re-sends the same events, eventId and all, on every retry', async () => {
    const sent: ExposureEvent[][] = [];
    const deliver = vi.fn((events: ExposureEvent[]) => (sent.push(events), sent.length < 3 ? down() : undefined));
    const sink = createBatchingSink({ deliver, random: () => 0 });
    for (let n = 0; n < 3; n++) sink.write(event(n));
    await Promise.all([sink.flush(), vi.advanceTimersByTimeAsync(1_000)]);
    expect(sent).toHaveLength(3);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[2]).toEqual(sent[0]);
    expect(sent[2]!.map((e) => e.eventId)).toEqual(['event-0', 'event-1', 'event-2']);
  });
});

describe('createBatchingSink retryAfterMs', () => {
  it('waits at least the retryAfterMs a failed attempt asks for, longer when the backoff is', async () => {
    const starts: number[] = [];
    const answers = [() => busy(5_000), () => busy(10), down, () => undefined];
    const { deliver } = recordingDeliver((call) => (starts.push(Date.now()), answers[call]!()));
    const sink = createBatchingSink({ deliver, random: () => 1, retry: { baseDelayMs: 1_000 }, onError: () => {} });
    sink.write(event(0));
    await Promise.all([sink.flush(), vi.advanceTimersByTimeAsync(20_000)]);
    // 5,000 asked (backoff 1,000); 10 asked, backoff 2,000; no ask, backoff 4,000.
    expect(starts).toEqual([0, 5_000, 7_000, 11_000]);
    expect(sink.stats()).toMatchObject({ delivered: 1, failedAttempts: 3 });
  });

  it('gives up at once when the wait asked for ends past the budget, instead of waiting to drop', async () => {
    const reports: BatchingSinkErrorInfo[] = [];
    const { deliver } = recordingDeliver(() => busy(120_000));
    const sink = createBatchingSink({ deliver, retry: { budgetMs: 60_000 }, onError: (_e, info) => reports.push(info) });
    sink.write(event(0));
    const flushed = watch(sink.flush());
    await settle();
    expect(flushed.settled).toBe(true);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(reports).toEqual([
      { kind: 'delivery', events: 1, attempt: 1 },
      { kind: 'drop', events: 1, attempt: 1, reason: 'gave_up' },
    ]);
  });

  it.each([['a string', '5000'], ['NaN', Number.NaN], ['negative', -5_000]])('ignores a retryAfterMs that is %s', async (_name, retryAfterMs) => {
    const starts: number[] = [];
    const { deliver } = recordingDeliver((call) => (starts.push(Date.now()), call === 0 ? busy(retryAfterMs) : undefined));
    const sink = createBatchingSink({ deliver, random: () => 1, retry: { baseDelayMs: 100 } });
    sink.write(event(0));
    await Promise.all([sink.flush(), vi.advanceTimersByTimeAsync(10_000)]);
    expect(starts).toEqual([0, 100]);
  });
});

describe('createBatchingSink abort signal', () => {
  /** A deliver that hangs until its signal aborts, recording each signal. */
  const hangsUntilAborted = () => {
    const signals: DeliverySignal[] = [];
    const deliver = vi.fn(
      (_events: ExposureEvent[], signal?: DeliverySignal) =>
        new Promise<void>((_resolve, reject) => {
          signals.push(signal!);
          (signal as AbortSignal).addEventListener('abort', () => reject((signal as AbortSignal).reason));
        }),
    );
    return { deliver, signals };
  };

  it('aborts an attempt that times out, with the timeout as the reason, and gives the retry a fresh signal', async () => {
    const { deliver, signals } = hangsUntilAborted();
    const sink = createBatchingSink({ deliver, timeoutMs: 1_000, random: () => 0, retry: { attempts: 2 }, onError: () => {} });
    sink.write(event(0));
    const flushed = watch(sink.flush());
    await settle();
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[0]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toMatchObject({ name: 'DeliveryTimeoutError' });
    await vi.advanceTimersByTimeAsync(1);
    expect(signals).toHaveLength(2);
    expect(signals[1]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(signals[1]!.aborted).toBe(true);
    expect(flushed.settled).toBe(true);
  });

  it('aborts the attempt in flight when close reaches its deadline', async () => {
    const { deliver, signals } = hangsUntilAborted();
    const sink = createBatchingSink({ deliver, timeoutMs: 60_000, onError: () => {} });
    sink.write(event(0));
    const closed = watch(sink.close({ deadlineMs: 5_000 }));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(signals[0]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed.settled).toBe(true);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toMatchObject({ name: 'AbortError' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves the signal of a delivered batch alone, and delivers without one where the runtime has no AbortController', async () => {
    const { deliver } = recordingDeliver();
    const sink = createBatchingSink({ deliver });
    sink.write(event(0));
    await sink.flush();
    expect((deliver.mock.calls[0] as unknown[])[1]).toMatchObject({ aborted: false });
    vi.stubGlobal('AbortController', undefined);
    try {
      const bare = createBatchingSink({ deliver });
      bare.write(event(1));
      await bare.flush();
      expect(deliver.mock.calls[1]).toEqual([[event(1)], undefined]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
