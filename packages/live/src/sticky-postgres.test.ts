import { assignVariant, createBucketry, experimentFromJSON, unitKey } from '@bucketry/core';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgresStickyStores } from '../../../test-support/postgres-sticky-stores.js';
import { createPostgresStickyStore } from './sticky-postgres.js';
import { POSTGRES_URL, countingPool, dropSchema, uniqueName, waitFor } from './test-support/services.js';
import { STICKY_EXPERIMENTS as EXPERIMENTS, STICKY_EXPERIMENTS_LATER as LATER } from './test-support/sticky-experiments.js';

const schema = uniqueName('live_sticky');
const table = `"${schema}".experiment_assignments`;
const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const cleanUp: (() => Promise<unknown>)[] = [];
afterEach(async () => void (await Promise.all(cleanUp.splice(0).map((close) => close()))));
afterAll(async () => {
  await admin.end();
  await dropSchema(schema);
});

/** A store on this file's schema (or where the options say); closed after the test. */
const open = postgresStickyStores(createPostgresStickyStore, schema, (close) => cleanUp.push(close));

/** A pool whose round trips are listed (see postgres-kit); ended after the test. */
function listedPool() {
  const counted = countingPool();
  cleanUp.push(() => counted.pool.end());
  return counted;
}

const rowsOf = async (prefix: string) =>
  (await admin.query(`select unit, experiment, variant, config_version, assigned_at from ${table} where unit like $1 order by unit, experiment`, [`${prefix}%`])).rows;

const seed = async (...rows: [string, string, string][]) => {
  for (const [unit, experiment, variant] of rows) {
    await admin.query(`insert into ${table} (unit, experiment, variant) values ($1, $2, $3)`, [unit, experiment, variant]);
  }
};

describe('PostgreSQL sticky store', () => {
  it('round-trips records: set, flush, a new store loads them and assignVariant keeps them (reason sticky)', async () => {
    const { store, errors } = open({ configVersion: (key) => first.experiment(key).version });
    const first = createBucketry({ experiments: EXPERIMENTS, sticky: store });
    const units = Array.from({ length: 20 }, (_, i) => `round-${i}`);
    await store.load(units);
    const before = units.map((unit) => EXPERIMENTS.map(({ key }) => first.assign(key, unit)));
    expect(new Set(before.flat().map(({ reason }) => reason))).toEqual(new Set(['bucketed']));
    await store.flush(10_000);
    expect(store.stats()).toMatchObject({ written: 60, queued: 0, batches: 1, dropped: 0 });

    const rows = await rowsOf('round-');
    expect(rows).toHaveLength(60);
    const firstRow = rows.find((row) => row.unit === 'round-0' && row.experiment === 'pricing_table')!;
    expect(firstRow.variant).toBe(before[0]![2]!.variant);
    expect(firstRow.config_version).toBe(first.experiment('pricing_table').version);
    expect(firstRow.assigned_at).toBeInstanceOf(Date);

    const { store: fresh } = open();
    await fresh.load(units);
    expect(fresh.stats()).toMatchObject({ loaded: 20, misses: 20, hits: 0 });
    for (const [u, unit] of units.entries()) {
      for (const [e, config] of LATER.entries()) {
        const kept = assignVariant(experimentFromJSON(config), unit, undefined, { sticky: fresh });
        expect(kept).toMatchObject({ reason: 'sticky', variant: before[u]![e]!.variant, inExperiment: true });
      }
    }
    // The store is what kept them: plainly bucketed, many would have moved.
    const moved = units.filter((unit, u) => LATER.some((config, e) => assignVariant(experimentFromJSON(config), unit).variant !== before[u]![e]!.variant));
    expect(moved.length).toBeGreaterThan(5);
    expect(errors).toEqual([]);
  });

  it('loads a unit in many experiments, and several units, with one query; cached units with none', async () => {
    const { pool, statements } = listedPool();
    const { store } = open({ pool });
    await store.migrate();
    const compound = { tenantId: 'acme', userId: 'one-3' };
    await seed(
      ...Array.from({ length: 8 }, (_, i): [string, string, string] => ['one-many', `experiment_${i}`, `v${i}`]),
      ['one-b', 'experiment_0', 'v9'],
      [unitKey(compound)!, 'experiment_1', 'w1'],
    );
    await store.load(['one-many', 'one-b', 'one-none', compound, null, '']);
    expect(statements).toEqual([expect.stringMatching(/^select unit, experiment, variant from /)]);
    expect(Array.from({ length: 8 }, (_, i) => store.get('one-many', `experiment_${i}`))).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7']);
    expect(store.get('one-b', 'experiment_0')).toBe('v9');
    expect(store.get(unitKey(compound)!, 'experiment_1')).toBe('w1');
    expect(store.get('one-none', 'experiment_0')).toBeUndefined();

    await store.load(['one-many', 'one-none', compound]); // repeat visitors, none with records included
    expect(statements).toHaveLength(1);
    await Promise.all([store.load('one-joined'), store.load('one-joined'), store.load(['one-joined', 'one-b'])]);
    expect(statements).toHaveLength(2); // concurrent loads of one unit share a query
    expect(store.stats()).toMatchObject({ loaded: 5, misses: 7, hits: 4, cached: 5 });
  });

  it('writes N records in ceil(N / batchSize) statements', async () => {
    const { pool, statements } = listedPool();
    const { store } = open({ pool, batchSize: 100, flushInterval: 600_000 });
    await store.migrate();
    for (let i = 0; i < 1_050; i++) store.set(`batch-${i}`, 'skill_tree_layout', i % 2 ? 'list' : 'tree');
    await waitFor('ten full batches', () => store.stats().batches === 10);
    expect(store.stats().queued).toBe(50); // waiting for the interval (10 minutes) or a flush
    await store.flush(10_000);
    expect(statements).toEqual(Array.from({ length: 11 }, () => expect.stringMatching(/^with input as /)));
    expect(store.stats()).toMatchObject({ written: 1_050, batches: 11, queued: 0, failedBatches: 0 });
    expect(await rowsOf('batch-')).toHaveLength(1_050);
  });

  it('writes a partial batch after flushInterval, with no flush', async () => {
    const { store } = open({ flushInterval: 50 });
    for (let i = 0; i < 7; i++) store.set(`interval-${i}`, 'skill_tree_layout', 'list');
    await waitFor('the seven rows', async () => (await rowsOf('interval-')).length === 7);
    expect(store.stats()).toMatchObject({ batches: 1, written: 7 });
  });

  it('shows a record to get at once, before it is written; never overwrites a record it did not load', async () => {
    const { store } = open({ flushInterval: 600_000 });
    await store.migrate();
    await seed(['keep-1', 'skill_tree_layout', 'list']);
    store.set('keep-1', 'skill_tree_layout', 'tree'); // as when the load failed: bucketed without the record
    expect(store.get('keep-1', 'skill_tree_layout')).toBe('tree');
    expect(store.stats().queued).toBe(1);
    await store.flush(10_000);
    expect((await rowsOf('keep-'))[0].variant).toBe('list');
    expect(store.stats()).toMatchObject({ written: 0, kept: 1 });
    await store.load('keep-1'); // once it can be read, the table's record wins in the cache too
    expect(store.get('keep-1', 'skill_tree_layout')).toBe('list');
  });

  it('replaces a loaded record whose variant the experiment no longer has', async () => {
    const { store } = open();
    await store.migrate();
    await seed(['swap-1', 'skill_tree_layout', 'retired']);
    const bucketry = createBucketry({ experiments: EXPERIMENTS, sticky: store });
    await store.load('swap-1');
    const assignment = bucketry.assign('skill_tree_layout', 'swap-1');
    expect(assignment.reason).toBe('bucketed');
    await store.flush(10_000);
    expect((await rowsOf('swap-'))[0].variant).toBe(assignment.variant);
    expect(store.stats()).toMatchObject({ written: 1, kept: 0 });
  });

  it('drops records beyond maxQueue, counted and reported; the cache still has them', async () => {
    const { store, errors } = open({ maxQueue: 10, flushInterval: 600_000 });
    for (let i = 0; i < 15; i++) store.set(`full-${i}`, 'skill_tree_layout', 'list');
    expect(store.stats()).toMatchObject({ queued: 10, dropped: 5 });
    expect(store.get('full-14', 'skill_tree_layout')).toBe('list');
    await waitFor('the drop report', () => errors.length > 0);
    expect(errors.map(({ context }) => context)).toEqual([{ store: 'postgres', stage: 'drop', records: 5, reason: 'queue_full' }]);
    await store.flush(10_000);
    expect(await rowsOf('full-')).toHaveLength(10);
  });

  it('refuses text PostgreSQL cannot hold (U+0000), naming the field, without failing the batch', async () => {
    const { store, errors } = open({ flushInterval: 600_000 });
    store.set('nul\u0000unit', 'skill_tree_layout', 'list');
    store.set('nul-fine', 'skill_tree_layout', 'list');
    expect(store.get('nul\u0000unit', 'skill_tree_layout')).toBe('list');
    await store.flush(10_000);
    expect(await rowsOf('nul')).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.context).toEqual({ store: 'postgres', stage: 'drop', records: 1, reason: 'unstorable' });
    expect(String(errors[0]!.error)).toContain('unit must not contain U+0000 (PostgreSQL text cannot hold it)');
    expect(store.stats()).toMatchObject({ written: 1, dropped: 1 });
  });
});
