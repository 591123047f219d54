import { assignVariant, createBucketry, experimentFromJSON, type ExperimentJSON } from '@bucketry/core';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postgresStickyStores } from '../../../test-support/postgres-sticky-stores.js';
import { silentServer } from '../../../test-support/silent-server.js';
import { createPostgresStickyStore } from './sticky-postgres.js';
import { countingPool, uniqueName, waitFor } from './test-support/services.js';

// PostgreSQL unreachable (a closed port) or silent (a server that accepts and never answers):
// nothing here reaches a database, so the schema is never made.
const cleanUp: (() => Promise<unknown>)[] = [];
afterEach(async () => void (await Promise.all(cleanUp.splice(0).map((close) => close()))));

const EXPERIMENTS: readonly ExperimentJSON[] = [
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 },
  { key: 'pricing_table', variants: ['a', 'b', 'c'] },
];
const CLOSED_PORT = { host: '127.0.0.1', port: 1, user: 'postgres', database: 'test' };

/** A store (each test says where it connects and its loadTimeout); closed after the test. */
const open = postgresStickyStores(createPostgresStickyStore, uniqueName('live_sticky_down'), (close) => cleanUp.push(close));

describe('PostgreSQL sticky store, the database down', () => {
  it('on a closed port: load resolves with nothing loaded, onError is told, assignments are plain, writes are retried and reported', async () => {
    const { store, errors } = open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', retryDelay: 20, loadTimeout: 10_000 });
    const coreErrors: unknown[] = [];
    const bucketry = createBucketry({ experiments: EXPERIMENTS, sticky: store, onError: (error) => void coreErrors.push(error) });
    await store.load('down-1');
    expect(errors[0]!.context).toEqual({ store: 'postgres', stage: 'load', records: 1 });
    expect(String(errors[0]!.error)).toMatch(/ECONNREFUSED/);

    const assignment = bucketry.assign('skill_tree_layout', 'down-1');
    expect(assignment).toEqual(assignVariant(experimentFromJSON(EXPERIMENTS[0]!), 'down-1'));
    expect(assignment.reason).toBe('bucketed');
    expect(coreErrors).toEqual([]);

    await waitFor('two failed write attempts', () => store.stats().failedBatches >= 2);
    expect(errors.filter(({ context }) => context.stage === 'write').length).toBeGreaterThanOrEqual(2);
    await store.load('down-2'); // skipped while backing off, or tried and failed: resolves either way
    expect(store.stats().failedLoads + store.stats().skippedLoads).toBe(2);
    await store.close(50);
    expect(store.stats()).toMatchObject({ dropped: 1, queued: 0, written: 0 });
    expect(errors.at(-1)!.context).toEqual({ store: 'postgres', stage: 'drop', records: 1, reason: 'closed' });
  });

  it('after a failed load, skips loads for a backoff (no round trip, counted), then tries again', async () => {
    const { pool, queries } = countingPool(CLOSED_PORT); // each query is one round trip
    cleanUp.push(() => pool.end());
    const { store, errors } = open({ pool, migrate: false, loadTimeout: 10_000 });
    await store.load('skip-1');
    expect(store.stats()).toMatchObject({ failedLoads: 1, skippedLoads: 0 });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() }); // the clock stands still: the backoff (at least 125 ms) cannot pass
    try {
      await store.load('skip-2');
      await store.load(['skip-3', 'skip-4']);
      expect(store.stats()).toMatchObject({ failedLoads: 1, skippedLoads: 2 });
      expect(queries).toHaveLength(1);
      vi.setSystemTime(Date.now() + 10_001); // past the longest backoff
      await store.load('skip-5');
      expect(store.stats()).toMatchObject({ failedLoads: 2, skippedLoads: 2 });
      expect(queries).toHaveLength(2);
      expect(errors.map(({ context }) => context.stage)).toEqual(['load', 'load']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a server that never answers: load resolves after loadTimeout', async () => {
    const silent = await silentServer();
    cleanUp.push(() => silent.close());
    // No connection timeout of the pool's own: without loadTimeout, the load would wait forever.
    const pool = new pg.Pool({ host: '127.0.0.1', port: silent.port, user: 'postgres', database: 'test', connectionTimeoutMillis: 0 });
    cleanUp.push(() => pool.end());
    const { store, errors } = open({ pool, loadTimeout: 300 });
    const bucketry = createBucketry({ experiments: EXPERIMENTS, sticky: store });

    const started = performance.now();
    await store.load('silent-1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(String(errors[0]!.error)).toContain('loading the sticky records of 1 unit(s) took longer than loadTimeout (300 ms)');
    expect(bucketry.assign('pricing_table', 'silent-1').reason).toBe('bucketed');
    expect(store.stats()).toMatchObject({ failedLoads: 1, loaded: 0 });
  });
});
