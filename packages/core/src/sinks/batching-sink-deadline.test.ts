import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configError } from '../test-support/config-error.js';
import { deferred, exposureEvent as event, recordingDeliver, settle, unitRange, watch } from '../test-support/batches.js';
import { createBatchingSink, type BatchingSinkErrorInfo } from './batching-sink.js';

// flush() and close() have a deadline (issue #21): before it, a deliver that never settled made
// close take batches x attempts x timeoutMs (about 50 minutes at the defaults, 10,000 events).

const hangs = () => new Promise<void>(() => {});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBatchingSink deadline', () => {
  it('close() settles at the default deadline of 20 s when every delivery hangs, dropping and reporting what is left', async () => {
    const { deliver } = recordingDeliver(hangs);
    const reports: [unknown, BatchingSinkErrorInfo][] = [];
    const sink = createBatchingSink({ deliver, maxBatchSize: 10, random: () => 0.5, onError: (error, info) => reports.push([error, info]) });
    for (let n = 0; n < 25; n++) sink.write(event(n));
    const closed = watch(sink.close());
    await vi.advanceTimersByTimeAsync(19_999);
    expect(closed.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed.settled).toBe(true);
    // Two attempts of the first batch fit in 20 s (10 s timeouts, backoffs of at most 100 ms).
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 0, dropped: 25, failedAttempts: 1 });
    const drops = reports.filter(([, info]) => info.kind === 'drop');
    expect(drops).toEqual([[expect.any(Error), { kind: 'drop', events: 25, reason: 'deadline' }]]);
    expect((drops[0]![0] as Error).message).toBe('close did not finish within 20000 ms; dropped 25 exposure events not yet delivered');
    // Nothing of the abandoned batch is left running: no retry timer, no timeout, no report.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(deliver).toHaveBeenCalledTimes(2);
    expect(reports).toHaveLength(2);
  });

  it('close({ deadlineMs }) and the deadlineMs option set the deadline', async () => {
    for (const [options, call, ms] of [
      [{ deadlineMs: 5_000 }, undefined, 5_000],
      [{}, { deadlineMs: 1_500 }, 1_500],
      [{ deadlineMs: 5_000 }, { deadlineMs: 0 }, 0],
    ] as const) {
      const sink = createBatchingSink({ deliver: hangs, ...options });
      sink.write(event(0));
      const closed = watch(sink.close(call));
      if (ms > 0) {
        await vi.advanceTimersByTimeAsync(ms - 1);
        expect(closed.settled, `${JSON.stringify([options, call])} before ${ms} ms`).toBe(false);
      }
      await vi.advanceTimersByTimeAsync(1);
      expect(closed.settled, `${JSON.stringify([options, call])} at ${ms} ms`).toBe(true);
      expect(sink.stats()).toMatchObject({ delivered: 0, dropped: 1 });
    }
    // Everything delivered first: nothing dropped, and the deadline's timer is gone.
    const onError = vi.fn();
    const sink = createBatchingSink({ deliver: () => {}, onError, maxBatchSize: 3, deadlineMs: 5_000 });
    for (let n = 0; n < 7; n++) sink.write(event(n));
    await sink.close();
    expect(sink.stats()).toMatchObject({ delivered: 7, dropped: 0 });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onError).not.toHaveBeenCalled();
  });

  it('flush({ deadlineMs }) drops what it waited for, and the sink delivers what is written after', async () => {
    const { deliver, batches } = recordingDeliver((call) => (call === 0 ? hangs() : undefined));
    const reports: BatchingSinkErrorInfo[] = [];
    const sink = createBatchingSink({ deliver, maxBatchSize: 2, flushIntervalMs: 60_000, onError: (_e, info) => reports.push(info) });
    for (let n = 0; n < 5; n++) sink.write(event(n));
    const flushed = watch(sink.flush({ deadlineMs: 3_000 }));
    await settle();
    sink.write(event(5));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(flushed.settled).toBe(true);
    expect(reports).toEqual([{ kind: 'drop', events: 5, reason: 'deadline' }]);
    expect(sink.stats()).toEqual({ queued: 1, inFlight: 0, delivered: 0, dropped: 5, failedAttempts: 0 });

    await sink.flush();
    expect(batches).toEqual([unitRange(0, 2), ['user-5']]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, dropped: 5, failedAttempts: 0 });
  });

  it('a batch that lands or fails after the deadline is neither counted nor reported, nor retried', async () => {
    for (const outcome of ['lands', 'fails'] as const) {
      const late = deferred();
      const { deliver } = recordingDeliver(() => late.promise);
      const onError = vi.fn();
      const sink = createBatchingSink({ deliver, onError, deadlineMs: 1_000 });
      sink.write(event(0));
      const flushed = watch(sink.flush());
      await vi.advanceTimersByTimeAsync(1_000);
      expect(flushed.settled).toBe(true);
      expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 0, dropped: 1, failedAttempts: 0 });
      if (outcome === 'lands') late.resolve();
      else late.reject(new Error('too late'));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(sink.stats(), outcome).toEqual({ queued: 0, inFlight: 0, delivered: 0, dropped: 1, failedAttempts: 0 });
      expect(deliver).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls.map(([, info]) => info)).toEqual([{ kind: 'drop', events: 1, reason: 'deadline' }]);
    }
  });

  it('stops retrying an abandoned batch that is waiting out a backoff', async () => {
    const { deliver } = recordingDeliver(() => Promise.reject(new Error('down')));
    const sink = createBatchingSink({ deliver, random: () => 1, retry: { attempts: 5, baseDelayMs: 1_000 }, deadlineMs: 500 });
    sink.write(event(0));
    const closed = watch(sink.close());
    await vi.advanceTimersByTimeAsync(500);
    expect(closed.settled).toBe(true);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(sink.stats()).toMatchObject({ failedAttempts: 1, dropped: 1 });
  });

  it('an earlier flush with a later deadline is released when a later flush gives up on what both waited for', async () => {
    const { deliver } = recordingDeliver(hangs);
    const reports: BatchingSinkErrorInfo[] = [];
    const sink = createBatchingSink({ deliver, timeoutMs: 60_000, onError: (_e, info) => reports.push(info) });
    sink.write(event(0));
    const patient = watch(sink.flush({ deadlineMs: 50_000 }));
    sink.write(event(1));
    const hasty = watch(sink.flush({ deadlineMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect([patient.settled, hasty.settled]).toEqual([true, true]);
    expect(reports).toEqual([{ kind: 'drop', events: 2, reason: 'deadline' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a deadline that is not a number of milliseconds, as an option and per call', () => {
    const rule = 'must be a number of milliseconds from 0 to 2147483647';
    for (const bad of [-1, Number.NaN, '5' as never, 2 ** 31]) {
      const option = configError(() => createBatchingSink({ deliver: () => {}, deadlineMs: bad }));
      expect([option.field, option.rule]).toEqual(['deadlineMs', rule]);
      const sink = createBatchingSink({ deliver: () => {} });
      expect(configError(() => sink.flush({ deadlineMs: bad })).message).toMatch(/^createBatchingSink: deadlineMs must be a number/);
      expect(configError(() => sink.close({ deadlineMs: bad })).field).toBe('deadlineMs');
    }
  });
});
