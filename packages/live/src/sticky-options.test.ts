import { ExperimentConfigError } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { createPostgresStickyStore } from './sticky-postgres.js';
import { createRedisStickyStore } from './sticky-redis.js';

// Refused before anything connects: each error names the function, the field, the value and the rule.
describe('sticky store options', () => {
  it.each([
    [{ cacheSize: 0 }, 'createPostgresStickyStore: cacheSize must be a whole number >= 1, got 0'],
    [{ loadTimeout: 1.5 }, 'createPostgresStickyStore: loadTimeout must be a whole number from 1 to 2147483647, got 1.5'],
    [{ batchSize: 20_000 }, 'createPostgresStickyStore: batchSize must be a whole number from 1 to 10000, got 20000'],
    [{ flushInterval: -1 }, 'createPostgresStickyStore: flushInterval must be a whole number from 0 to 2147483647, got -1'],
    [{ maxQueue: '100' }, 'createPostgresStickyStore: maxQueue must be a whole number >= 1, got "100"'],
    [{ retryDelay: 500, maxRetryDelay: 100 }, 'createPostgresStickyStore: maxRetryDelay must be at least retryDelay (500), got 100'],
    [{ writeTimeout: 0 }, 'createPostgresStickyStore: writeTimeout must be a whole number from 1 to 2147483647, got 0'],
    [{ configVersion: 'v1' }, 'createPostgresStickyStore: configVersion must be a function when given, got "v1"'],
    [{ onError: true }, 'createPostgresStickyStore: onError must be a function when given, got true'],
    [{ connectionString: 5 }, 'createPostgresStickyStore: connectionString must be a string when given, got 5'],
    [{ connectionString: 'postgres://db', pool: {} }, 'createPostgresStickyStore: connectionString must not be given with a pool: give one of them, got "postgres://db"'],
  ])('PostgreSQL: %j', (options, message) => {
    expect(() => createPostgresStickyStore(options as never)).toThrow(ExperimentConfigError);
    expect(() => createPostgresStickyStore(options as never)).toThrow(message);
  });

  it('PostgreSQL: the schema is checked as the rollout store checks it; options must be an object', () => {
    expect(() => createPostgresStickyStore({ schema: 'Bad-Name' })).toThrow('schema must match /^[a-z_][a-z0-9_]{0,47}$/');
    expect(() => createPostgresStickyStore(null as never)).toThrow('createPostgresStickyStore: options must be an object, got null');
  });

  it.each([
    [{ ttl: 0 }, 'createRedisStickyStore: ttl must be a whole number of seconds >= 1 when given, got 0'],
    [{ ttl: 1.5 }, 'createRedisStickyStore: ttl must be a whole number of seconds >= 1 when given, got 1.5'],
    [{ prefix: 7 }, 'createRedisStickyStore: prefix must be a string, got 7'],
    [{ url: 'redis://cache', redis: {} }, 'createRedisStickyStore: url must not be given with a client (redis): give one of them, got "redis://cache"'],
    [{ cacheSize: -5 }, 'createRedisStickyStore: cacheSize must be a whole number >= 1, got -5'],
  ])('Redis: %j', (options, message) => {
    expect(() => createRedisStickyStore(options as never)).toThrow(message);
  });

  it('flush and close refuse a bad timeout at once', async () => {
    const store = createPostgresStickyStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', onError: () => {} });
    expect(() => store.flush(-1)).toThrow('flush: timeout must be a whole number of ms from 0 to 2147483647, got -1');
    expect(() => store.close(Number.NaN)).toThrow('close: timeout must be a whole number of ms from 0 to 2147483647, got NaN');
    await store.close(0);
  });
});
