import { afterEach, describe, expect, it, vi } from 'vitest';
import { configError } from '../test-support/config-error.js';
import { exposureEvent as event, recordingDeliver } from '../test-support/batches.js';
import { createBatchingSink, type BatchingSinkErrorInfo, type BatchingSinkOptions } from './batching-sink.js';

// createBatchingSink's options: each bad one an ExperimentConfigError naming the field at fault
// (never another, never none), the value and the rule; every option at its boundary, the longest
// timer accepted; and which call missed its deadline.
const deliver = () => {};

afterEach(() => {
  vi.useRealTimers();
});

describe('createBatchingSink options', () => {
  const ms = (min: number) => `must be a number of milliseconds from ${min} to 2147483647`;
  const cases: [string, Partial<BatchingSinkOptions> & Record<string, unknown>, string, string, string][] = [
    ['deliver missing', { deliver: undefined }, 'deliver', 'must be a function', 'undefined'],
    ['deliver not a function', { deliver: 'https://collector' as never }, 'deliver', 'must be a function', '"https://collector"'],
    ['maxBatchSize 0', { maxBatchSize: 0 }, 'maxBatchSize', 'must be a whole number >= 1', '0'],
    ['maxBatchSize fractional', { maxBatchSize: 2.5 }, 'maxBatchSize', 'must be a whole number >= 1', '2.5'],
    ['maxBatchSize a string', { maxBatchSize: '10' as never }, 'maxBatchSize', 'must be a whole number >= 1', '"10"'],
    ['flushIntervalMs NaN', { flushIntervalMs: Number.NaN }, 'flushIntervalMs', ms(1), 'NaN'],
    ['flushIntervalMs a string', { flushIntervalMs: '5' as never }, 'flushIntervalMs', ms(1), '"5"'],
    ['flushIntervalMs too long', { flushIntervalMs: 2 ** 31 }, 'flushIntervalMs', ms(1), '2147483648'],
    ['maxQueueSize below maxBatchSize', { maxBatchSize: 100, maxQueueSize: 50 }, 'maxQueueSize', 'must be >= maxBatchSize (100), or no batch could ever fill', '50'],
    ['retry not an object', { retry: 3 as never }, 'retry', 'must be an object', '3'],
    // null is never "absent" (docs/spec.md), here as for every other option: it was read as {}.
    ['retry null', { retry: null as never }, 'retry', 'must be an object', 'null'],
    ['retry.budgetMs negative', { retry: { budgetMs: -1 } }, 'retry.budgetMs', ms(0), '-1'],
    ['retry.budgetMs null', { retry: { budgetMs: null as never } }, 'retry.budgetMs', ms(0), 'null'],
    ['retry.attempts 0', { retry: { attempts: 0 } }, 'retry.attempts', 'must be a whole number >= 1', '0'],
    ['retry.baseDelayMs negative', { retry: { baseDelayMs: -1 } }, 'retry.baseDelayMs', ms(0), '-1'],
    ['retry.maxDelayMs below base', { retry: { baseDelayMs: 500, maxDelayMs: 100 } }, 'retry.maxDelayMs', 'must be >= retry.baseDelayMs (500)', '100'],
    ['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs', ms(1), '0'],
    ['timeoutMs Infinity', { timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs', ms(1), 'Infinity'],
    ['onError not a function', { onError: 'log' as never }, 'onError', 'must be a function', '"log"'],
    ['random not a function', { random: 0.5 as never }, 'random', 'must be a function', '0.5'],
  ];
  it.each(cases)('rejects %s with an ExperimentConfigError naming the field, value and rule', (_name, overrides, field, rule, got) => {
    const error = configError(() => createBatchingSink({ deliver, ...overrides } as BatchingSinkOptions));
    expect(error.message).toBe(`createBatchingSink: ${field} ${rule}, got ${got}`);
    expect([error.field, error.rule]).toEqual([field, rule]);
  });

  it('rejects a missing options object', () => {
    expect(configError(() => createBatchingSink(undefined as never)).message).toBe(
      'createBatchingSink: options must be an object with a deliver function, got undefined',
    );
  });

  it('accepts every option at its boundary', () => {
    expect(() =>
      createBatchingSink({
        deliver,
        maxBatchSize: 1,
        maxQueueSize: 1,
        flushIntervalMs: 1,
        timeoutMs: 1,
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, budgetMs: 0 },
      }),
    ).not.toThrow();
  });
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
