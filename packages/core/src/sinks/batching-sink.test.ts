import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred, exposureEvent as event, recordingDeliver, settle, unitRange, type Deferred } from '../test-support/batches.js';
import { createBatchingSink, type BatchingSinkErrorInfo } from './batching-sink.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('createBatchingSink batching', () => {
  it('splits into batches of maxBatchSize and keeps the order', async () => {
    const { deliver, batches } = recordingDeliver();
    const sink = createBatchingSink({ deliver, maxBatchSize: 3 });
    for (let n = 0; n < 7; n++) sink.write(event(n));
    await sink.flush();
    expect(batches).toEqual([unitRange(0, 3), unitRange(3, 6), unitRange(6, 7)]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 7, dropped: 0, failedAttempts: 0 });
  });

  it('delivers a full batch right away, outside write, without waiting for the interval', async () => {
    const { deliver, batches } = recordingDeliver();
    const sink = createBatchingSink({ deliver, maxBatchSize: 3, flushIntervalMs: 60_000 });
    sink.write(event(0));
    sink.write(event(1));
    sink.write(event(2));
    // write() returned before any delivery happened
    expect(deliver).not.toHaveBeenCalled();
    await settle();
    expect(batches).toEqual([unitRange(0, 3)]);
  });

  it('delivers one batch at a time, in order', async () => {
    const pending: Deferred[] = [];
    const { deliver, batches } = recordingDeliver(() => {
      const d = deferred();
      pending.push(d);
      return d.promise;
    });
    const sink = createBatchingSink({ deliver, maxBatchSize: 2 });
    for (let n = 0; n < 5; n++) sink.write(event(n));
    await settle();
    expect(batches).toEqual([unitRange(0, 2)]);
    expect(sink.stats()).toMatchObject({ queued: 3, inFlight: 2, delivered: 0 });

    pending[0]!.resolve();
    await settle();
    expect(batches).toEqual([unitRange(0, 2), unitRange(2, 4)]);
    expect(sink.stats()).toMatchObject({ queued: 1, inFlight: 2, delivered: 2 });

    const flushed = sink.flush();
    pending[1]!.resolve();
    await settle();
    pending[2]!.resolve();
    await flushed;
    expect(batches).toEqual([unitRange(0, 2), unitRange(2, 4), unitRange(4, 5)]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 5, dropped: 0, failedAttempts: 0 });
  });

  it('delivers a partial batch when the flush interval passes, and re-arms for later events', async () => {
    const { deliver, batches } = recordingDeliver();
    const sink = createBatchingSink({ deliver, maxBatchSize: 100, flushIntervalMs: 1_000 });
    sink.write(event(0));
    sink.write(event(1));
    await vi.advanceTimersByTimeAsync(999);
    expect(deliver).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([unitRange(0, 2)]);

    sink.write(event(2));
    await vi.advanceTimersByTimeAsync(999);
    expect(batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([unitRange(0, 2), unitRange(2, 3)]);
  });

  it('arms no timer while the queue is empty', async () => {
    const { deliver } = recordingDeliver();
    const sink = createBatchingSink({ deliver, flushIntervalMs: 1_000 });
    expect(vi.getTimerCount()).toBe(0);
    sink.write(event(0));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('unrefs the interval timer so an idle sink does not keep Node running', () => {
    const unref = vi.fn();
    const setTimeoutStub = vi.fn(() => ({ unref }));
    vi.stubGlobal('setTimeout', setTimeoutStub);
    const sink = createBatchingSink({ deliver: () => {}, flushIntervalMs: 1_000 });
    sink.write(event(0));
    expect(setTimeoutStub).toHaveBeenCalledTimes(1);
    expect(setTimeoutStub).toHaveBeenCalledWith(expect.any(Function), 1_000);
    expect(unref).toHaveBeenCalledTimes(1);
  });

  it('works with a setTimeout that returns a number, as browsers do', async () => {
    const calls: (() => void)[] = [];
    vi.stubGlobal('setTimeout', (callback: () => void) => calls.push(callback));
    const { deliver, batches } = recordingDeliver();
    const sink = createBatchingSink({ deliver });
    sink.write(event(0));
    expect(calls).toHaveLength(1);
    calls[0]!();
    // Delivery now sets a timeout timer of its own through the same stub; it resolves first.
    await Promise.resolve();
    await Promise.resolve();
    expect(batches).toEqual([unitRange(0, 1)]);
  });
});

describe('createBatchingSink flush', () => {
  it('resolves at once with nothing queued, delivering nothing', async () => {
    const { deliver } = recordingDeliver();
    const sink = createBatchingSink({ deliver });
    await expect(sink.flush()).resolves.toBeUndefined();
    expect(deliver).not.toHaveBeenCalled();
  });

  it('waits for events queued before the call, not for those written after', async () => {
    const pending: Deferred[] = [];
    const { deliver, batches } = recordingDeliver(() => {
      const d = deferred();
      pending.push(d);
      return d.promise;
    });
    const sink = createBatchingSink({ deliver, flushIntervalMs: 60_000 });
    sink.write(event(0));
    sink.write(event(1));
    let flushed = false;
    void sink.flush().then(() => (flushed = true));
    await settle();
    sink.write(event(2));
    expect(flushed).toBe(false);

    pending[0]!.resolve();
    await settle();
    expect(flushed).toBe(true);
    expect(batches).toEqual([unitRange(0, 2)]);
    expect(sink.stats()).toMatchObject({ queued: 1, inFlight: 0, delivered: 2 });
  });

  it('waits for a batch in flight even when nothing is left in the queue', async () => {
    const first = deferred();
    const { deliver } = recordingDeliver(() => first.promise);
    const sink = createBatchingSink({ deliver, maxBatchSize: 2 });
    sink.write(event(0));
    sink.write(event(1));
    await settle();
    expect(sink.stats()).toMatchObject({ queued: 0, inFlight: 2 });
    let flushed = false;
    void sink.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    first.resolve();
    await settle();
    expect(flushed).toBe(true);
    expect(deliver).toHaveBeenCalledTimes(1);
  });

  it('waits for the batch in flight as well as the queue', async () => {
    const pending: Deferred[] = [];
    const { deliver } = recordingDeliver(() => {
      const d = deferred();
      pending.push(d);
      return d.promise;
    });
    const sink = createBatchingSink({ deliver, maxBatchSize: 2 });
    for (let n = 0; n < 3; n++) sink.write(event(n));
    await settle();
    let flushed = false;
    void sink.flush().then(() => (flushed = true));
    pending[0]!.resolve();
    await settle();
    expect(flushed).toBe(false);
    pending[1]!.resolve();
    await settle();
    expect(flushed).toBe(true);
    expect(sink.stats().delivered).toBe(3);
  });
});

describe('createBatchingSink retries', () => {
  it('succeeds on the third attempt after backoffs of random · base · 2^(retry − 1)', async () => {
    const { deliver, batches } = recordingDeliver((call) => {
      if (call < 2) return Promise.reject(new Error(`collector down (${call})`));
    });
    const onError = vi.fn();
    const sink = createBatchingSink({ deliver, onError, random: () => 0.5, retry: { attempts: 3, baseDelayMs: 100 } });
    sink.write(event(0));
    const flushed = sink.flush();
    await settle();
    expect(deliver).toHaveBeenCalledTimes(1);

    // First backoff: 0.5 · 100 = 50 ms.
    await vi.advanceTimersByTimeAsync(49);
    expect(deliver).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(deliver).toHaveBeenCalledTimes(2);

    // Second backoff: 0.5 · 200 = 100 ms.
    await vi.advanceTimersByTimeAsync(99);
    expect(deliver).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(deliver).toHaveBeenCalledTimes(3);

    await flushed;
    expect(batches).toEqual([['user-0'], ['user-0'], ['user-0']]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, dropped: 0, failedAttempts: 2 });
    expect(onError.mock.calls).toEqual([
      [new Error('collector down (0)'), { kind: 'delivery', events: 1, attempt: 1 }],
      [new Error('collector down (1)'), { kind: 'delivery', events: 1, attempt: 2 }],
    ]);
  });

  it('scales the backoff with the random draw (full jitter) and caps it at maxDelayMs', async () => {
    const draws = [0.25, 0.5, 1];
    const random = vi.fn(() => draws.shift()!);
    const { deliver } = recordingDeliver(() => Promise.reject(new Error('down')));
    const sink = createBatchingSink({ deliver, random, retry: { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 1_500 } });
    sink.write(event(0));
    const flushed = sink.flush();
    await settle();
    const callTimes = () => deliver.mock.invocationCallOrder.length;
    expect(callTimes()).toBe(1);
    // 0.25 · min(1500, 1000) = 250
    await vi.advanceTimersByTimeAsync(249);
    expect(callTimes()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(callTimes()).toBe(2);
    // 0.5 · min(1500, 2000) = 750
    await vi.advanceTimersByTimeAsync(749);
    expect(callTimes()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(callTimes()).toBe(3);
    // 1 · min(1500, 4000) = 1500, the cap
    await vi.advanceTimersByTimeAsync(1_499);
    expect(callTimes()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(callTimes()).toBe(4);
    await flushed;
    expect(random).toHaveBeenCalledTimes(3);
  });

  it('gives up after the last attempt, counts the batch as dropped and reports it, then carries on', async () => {
    const down = new Error('collector down');
    const { deliver, batches } = recordingDeliver((_call, events) => {
      if (events[0]!.unit === 'user-0') return Promise.reject(down);
    });
    const reports: [unknown, BatchingSinkErrorInfo][] = [];
    const sink = createBatchingSink({
      deliver,
      maxBatchSize: 2,
      random: () => 0,
      retry: { attempts: 3 },
      onError: (error, info) => reports.push([error, info]),
    });
    for (let n = 0; n < 4; n++) sink.write(event(n));
    const flushed = sink.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    await flushed;

    expect(batches).toEqual([unitRange(0, 2), unitRange(0, 2), unitRange(0, 2), unitRange(2, 4)]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 2, dropped: 2, failedAttempts: 3 });
    expect(reports).toEqual([
      [down, { kind: 'delivery', events: 2, attempt: 1 }],
      [down, { kind: 'delivery', events: 2, attempt: 2 }],
      [down, { kind: 'delivery', events: 2, attempt: 3 }],
      [down, { kind: 'drop', events: 2, attempt: 3, reason: 'gave_up' }],
    ]);
  });

  it('treats a delivery that never settles as a failed attempt after timeoutMs and retries it', async () => {
    const { deliver, batches } = recordingDeliver((call) => (call === 0 ? new Promise<void>(() => {}) : undefined));
    const onError = vi.fn();
    const sink = createBatchingSink({ deliver, onError, timeoutMs: 5_000, random: () => 0 });
    sink.write(event(0));
    let flushed = false;
    void sink.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // The backoff is 0 (random 0), but setTimeout(0) fires a millisecond later, as in Node.
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed).toBe(true);
    expect(batches).toEqual([['user-0'], ['user-0']]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, dropped: 0, failedAttempts: 1 });
    expect(onError).toHaveBeenCalledTimes(1);
    const [error, info] = onError.mock.calls[0]!;
    expect(error).toMatchObject({ name: 'DeliveryTimeoutError', message: expect.stringMatching(/did not settle within 5000 ms/) });
    expect(info).toEqual({ kind: 'delivery', events: 1, attempt: 1 });
  });

  it('lets flush finish even when every delivery hangs', async () => {
    const { deliver } = recordingDeliver(() => new Promise<void>(() => {}));
    const sink = createBatchingSink({ deliver, timeoutMs: 1_000, random: () => 1, retry: { attempts: 2, baseDelayMs: 100 } });
    sink.write(event(0));
    let flushed = false;
    void sink.flush().then(() => (flushed = true));
    // 1000 (timeout) + 100 (backoff) + 1000 (timeout)
    await vi.advanceTimersByTimeAsync(2_099);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed).toBe(true);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 0, dropped: 1, failedAttempts: 2 });
  });

  it('retries a deliver that throws synchronously, and one that rejects', async () => {
    for (const failure of ['throw', 'reject'] as const) {
      const { deliver } = recordingDeliver((call) => {
        if (call > 0) return;
        if (failure === 'throw') throw new Error('sync failure');
        return Promise.reject(new Error('async failure'));
      });
      const onError = vi.fn();
      const sink = createBatchingSink({ deliver, onError, random: () => 0 });
      expect(() => sink.write(event(0))).not.toThrow();
      const flushed = sink.flush();
      await settle();
      await flushed;
      expect(deliver).toHaveBeenCalledTimes(2);
      expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, dropped: 0, failedAttempts: 1 });
      expect(onError).toHaveBeenCalledWith(
        new Error(failure === 'throw' ? 'sync failure' : 'async failure'),
        { kind: 'delivery', events: 1, attempt: 1 },
      );
    }
  });

  it('hands each attempt a fresh copy of the batch, so a deliver that mutates it cannot lose events', async () => {
    const { deliver, batches } = recordingDeliver((call, events) => {
      events.length = 0;
      if (call === 0) throw new Error('fail after emptying the array');
    });
    const sink = createBatchingSink({ deliver, random: () => 0 });
    sink.write(event(0));
    sink.write(event(1));
    const flushed = sink.flush();
    await settle();
    await flushed;
    expect(batches).toEqual([unitRange(0, 2), unitRange(0, 2)]);
  });
});

describe('createBatchingSink bounded queue', () => {
  it('drops writes past maxQueueSize (queued plus in flight), counts them and reports them once per burst', async () => {
    const pending: Deferred[] = [];
    const { deliver, batches } = recordingDeliver(() => {
      const d = deferred();
      pending.push(d);
      return d.promise;
    });
    const onError = vi.fn();
    const sink = createBatchingSink({ deliver, onError, maxBatchSize: 5, maxQueueSize: 10 });
    for (let n = 0; n < 5; n++) sink.write(event(n));
    await settle();
    expect(sink.stats()).toMatchObject({ queued: 0, inFlight: 5 });

    for (let n = 5; n < 13; n++) sink.write(event(n));
    expect(sink.stats()).toMatchObject({ queued: 5, inFlight: 5, dropped: 3 });
    await settle();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/queue is full \(maxQueueSize 10\); dropped 3 events/) }), {
      kind: 'drop',
      events: 3,
      reason: 'queue_full',
    });

    const flushed = sink.flush();
    pending[0]!.resolve();
    await settle();
    pending[1]!.resolve();
    await flushed;
    expect(batches).toEqual([unitRange(0, 5), unitRange(5, 10)]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 10, dropped: 3, failedAttempts: 0 });
  });

  it('never holds more than maxQueueSize events, whatever the write rate, while the endpoint is down', async () => {
    const { deliver } = recordingDeliver(() => Promise.reject(new Error('down')));
    const sink = createBatchingSink({ deliver, maxBatchSize: 10, maxQueueSize: 50, random: () => 0.5 });
    let largest = 0;
    for (let n = 0; n < 2_000; n++) {
      sink.write(event(n));
      const { queued, inFlight } = sink.stats();
      largest = Math.max(largest, queued + inFlight);
      if (n % 7 === 0) await vi.advanceTimersByTimeAsync(37);
    }
    expect(largest).toBe(50);
    const flushed = sink.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    await flushed;
    const stats = sink.stats();
    expect(stats.queued + stats.inFlight).toBe(0);
    // Nothing got through, and every event is accounted for as dropped.
    expect(stats.delivered).toBe(0);
    expect(stats.dropped).toBe(2_000);
  });
});

describe('createBatchingSink close', () => {
  it('delivers everything queued, stops the timer, then drops and reports later writes', async () => {
    const { deliver, batches } = recordingDeliver();
    const onError = vi.fn();
    const sink = createBatchingSink({ deliver, onError, maxBatchSize: 3, flushIntervalMs: 60_000 });
    for (let n = 0; n < 7; n++) sink.write(event(n));
    await sink.close();
    expect(batches).toEqual([unitRange(0, 3), unitRange(3, 6), unitRange(6, 7)]);
    expect(vi.getTimerCount()).toBe(0);

    sink.write(event(7));
    sink.write(event(8));
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 7, dropped: 2, failedAttempts: 0 });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(deliver).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'sink is closed; dropped 2 events' }), {
      kind: 'drop',
      events: 2,
      reason: 'closed',
    });
    await expect(sink.flush()).resolves.toBeUndefined();
    await expect(sink.close()).resolves.toBeUndefined();
  });

  it('waits for a batch already in flight', async () => {
    const first = deferred();
    const { deliver } = recordingDeliver((call) => (call === 0 ? first.promise : undefined));
    const sink = createBatchingSink({ deliver, maxBatchSize: 1 });
    sink.write(event(0));
    sink.write(event(1));
    await settle();
    let closed = false;
    void sink.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    first.resolve();
    await settle();
    expect(closed).toBe(true);
    expect(sink.stats().delivered).toBe(2);
  });
});

describe('createBatchingSink onError', () => {
  it('swallows an onError that throws, for failed attempts and for drops alike', async () => {
    const { deliver } = recordingDeliver((call) => (call === 0 ? Promise.reject(new Error('down')) : undefined));
    const onError = vi.fn((_error: unknown, _info: BatchingSinkErrorInfo) => {
      throw new Error('handler bug');
    });
    const sink = createBatchingSink({ deliver, onError, maxBatchSize: 1, maxQueueSize: 1, random: () => 0 });
    sink.write(event(0));
    expect(() => sink.write(event(1))).not.toThrow(); // dropped: the queue holds one
    const flushed = sink.flush();
    await settle();
    await flushed;
    await sink.close();
    expect(() => sink.write(event(2))).not.toThrow();
    await settle();
    expect(onError.mock.calls.map(([, info]) => info)).toEqual([
      { kind: 'drop', events: 1, reason: 'queue_full' },
      { kind: 'delivery', events: 1, attempt: 1 },
      { kind: 'drop', events: 1, reason: 'closed' },
    ]);
    expect(sink.stats()).toEqual({ queued: 0, inFlight: 0, delivered: 1, dropped: 2, failedAttempts: 1 });
  });
});
