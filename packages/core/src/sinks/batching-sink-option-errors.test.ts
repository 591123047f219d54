import { afterEach, describe, expect, it, vi } from 'vitest';
import { configError } from '../test-support/config-error.js';
import { exposureEvent as event, recordingDeliver } from '../test-support/batches.js';
import { createBatchingSink, type BatchingSinkErrorInfo } from './batching-sink.js';

// What createBatchingSink's errors name: the field at fault (never another, never none), the
// longest timer it accepts, and which call missed its deadline.
const deliver = () => {};

afterEach(() => {
  vi.useRealTimers();
});

describe('createBatchingSink option errors', () => {
  it('refuses null options with an ExperimentConfigError naming options, not a TypeError', () => {
    const error = configError(() => createBatchingSink(null as never));
    expect(error.field).toBe('options');
  });

  it.each([
    ['maxQueueSize', { maxQueueSize: 0 }],
    ['retry.maxDelayMs', { retry: { maxDelayMs: -1 } }],
  ])('names %s when it is out of range', (field, options) => {
    expect(configError(() => createBatchingSink({ deliver, ...options })).field).toBe(field);
  });

  it('accepts the longest timer, 2,147,483,647 ms, and refuses one more', () => {
    const longest = 2_147_483_647;
    const sink = createBatchingSink({ deliver, flushIntervalMs: longest, deadlineMs: longest, timeoutMs: longest });
    void sink.close({ deadlineMs: longest });
    expect(configError(() => createBatchingSink({ deliver, flushIntervalMs: longest + 1 })).field).toBe('flushIntervalMs');
    expect(configError(() => createBatchingSink({ deliver, deadlineMs: longest + 1 })).field).toBe('deadlineMs');
  });

  it("names flush() in the report of a flush's missed deadline", async () => {
    vi.useFakeTimers();
    const reports: [unknown, BatchingSinkErrorInfo][] = [];
    const { deliver: hangs } = recordingDeliver(() => new Promise<void>(() => {}));
    const sink = createBatchingSink({ deliver: hangs, onError: (error, info) => reports.push([error, info]) });
    sink.write(event(1));
    const flushed = sink.flush({ deadlineMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    await flushed;
    const drops = reports.filter(([, info]) => info.kind === 'drop');
    expect(drops.map(([error]) => (error as Error).message)).toEqual(['flush did not finish within 10 ms; dropped 1 exposure events not yet delivered']);
  });
});
