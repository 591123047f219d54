import { ExperimentConfigError } from '@bucketry/core';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPostgresSink, type MetricEvent, type PostgresSink, type PostgresSinkOptions } from './postgres-sink.js';

// Bad options and bad metric events: an ExperimentConfigError naming the field, the value and the
// rule, at the call. Nothing here connects (a pool connects on first use).
const opened: PostgresSink[] = [];
afterEach(async () => void (await Promise.all(opened.splice(0).map((sink) => sink.close({ deadlineMs: 0 })))));

const configError = (make: () => unknown): ExperimentConfigError => {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ExperimentConfigError);
    return error as ExperimentConfigError;
  }
  throw new Error('nothing was thrown');
};

describe('createPostgresSink options', () => {
  const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  it.each([
    ['options null', null, 'options', 'createPostgresSink: options must be an object, got null'],
    ['a schema with capitals', { schema: 'Bucketry' }, 'schema', 'createPostgresSink: schema must be lowercase letters, digits and _, not starting with a digit, up to 48 characters, got "Bucketry"'],
    ['a table with a quote', { table: 'events"; drop table x; --' }, 'table', undefined],
    ['a table that is a number', { table: 5 }, 'table', undefined],
    ['a connectionString that is not a string', { connectionString: 5 }, 'connectionString', 'createPostgresSink: connectionString must be a string when given, got 5'],
    ['a pool and a connectionString', { pool, connectionString: 'postgres://x' }, 'connectionString', undefined],
    ['a pool that is not one', { pool: {} }, 'pool', 'createPostgresSink: pool must be a pg.Pool when given, got an object'],
    ['migrate not a boolean', { migrate: 'yes' }, 'migrate', undefined],
    ['retry null', { retry: null }, 'retry', 'createBatchingSink: retry must be an object, got null'],
    ['a negative retry budget', { retry: { budgetMs: -1 } }, 'retry.budgetMs', undefined],
  ])('refuses %s, naming the field', (_name, options, field, message) => {
    const error = configError(() => createPostgresSink(options as PostgresSinkOptions));
    expect(error.field).toBe(field);
    if (message) expect(error.message).toBe(message);
  });

  it('ends the pool it made on close, and leaves a pool it was given open', async () => {
    const ends = vi.spyOn(pg.Pool.prototype, 'end');
    try {
      const own = createPostgresSink({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
      await own.close();
      expect(ends).toHaveBeenCalledTimes(1);
      expect((ends.mock.contexts[0] as pg.Pool).ended).toBe(true);
      const given = createPostgresSink({ pool });
      await given.close();
      expect(ends).toHaveBeenCalledTimes(1);
      expect(pool.ended).toBe(false);
    } finally {
      ends.mockRestore();
    }
    await pool.end();
  });
});

describe('PostgresSink.track', () => {
  const sink = () => {
    const made = createPostgresSink({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', migrate: false, flushIntervalMs: 600_000 });
    opened.push(made);
    return made;
  };
  const valid: MetricEvent = { event: 'purchase', unit: 'user-1' };
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  it.each([
    ['no event name', { ...valid, event: '' }, 'event'],
    ['the exposure event', { ...valid, event: 'experiment_exposure' }, 'event'],
    ['no unit', { event: 'purchase' }, 'unit'],
    ['a number as the unit', { ...valid, unit: 42 }, 'unit'],
    ['properties that are an array', { ...valid, properties: [1] }, 'properties'],
    ['a BigInt property', { ...valid, properties: { revenue: 10n } }, 'properties'],
    ['a cycle in the properties', { ...valid, properties: cycle }, 'properties'],
    ['a timestamp that is not ISO 8601', { ...valid, timestamp: '12/01/2026' }, 'timestamp'],
    ['a timestamp that is NaN', { ...valid, timestamp: Number.NaN }, 'timestamp'],
    ['an empty eventId', { ...valid, eventId: '' }, 'eventId'],
    ['no event at all', undefined, 'event'],
  ])('refuses %s at the call, naming the field', (_name, metric, field) => {
    const target = sink();
    const error = configError(() => target.track(metric as MetricEvent));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^createPostgresSink\(…\)\.track: /);
    expect(target.stats().queued).toBe(0);
  });

  it('queues a valid one', () => {
    const target = sink();
    target.track({ ...valid, properties: { revenue: 12.5 }, timestamp: new Date(0) });
    expect(target.stats().queued).toBe(1);
  });
});
