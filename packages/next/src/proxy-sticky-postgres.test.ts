import { experimentFromJSON } from '@bucketry/core';
import { newAnonymousId, type PreloadingStickyStore } from '@bucketry/http';
import { createPostgresStickyStore } from '@bucketry/live';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgresKit, uniqueName } from '../../../test-support/postgres-kit.js';
import { postgresStickyStores } from '../../../test-support/postgres-sticky-stores.js';
import { plainVariant, STICKY_KEYS, stickyExperimentsAt, usersWithLayouts } from '../../../test-support/sticky-experiments.js';
import { countingLoads } from '../../../test-support/sticky-stores.js';
import { createNextExperiments } from './next-experiments.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { TEST_SECRET } from './test-support/skill-tree.js';

// The proxy (Node.js runtime) with @bucketry/live's PostgreSQL sticky store, against the real
// database (its own schema, dropped afterwards), or against none (a closed port).

const { dropSchema, countingPool } = postgresKit(pg);
const schema = uniqueName('next_sticky');
const cleanUp: (() => Promise<unknown>)[] = [];
afterEach(async () => void (await Promise.all(cleanUp.splice(0).map((close) => close()))));
afterAll(() => dropSchema(schema));

/** A store on this file's schema (or where the options say); closed after the test. */
const openStore = postgresStickyStores(createPostgresStickyStore, schema, (close) => cleanUp.push(close));

/** The integration over the three experiments with `sticky`; `assign` runs the proxy and answers what the page reads. */
function proxyWith(sticky: PreloadingStickyStore, rollout: number) {
  const errors: unknown[] = [];
  const { counted, loads } = countingLoads(sticky);
  const bucketry = createNextExperiments({
    secret: TEST_SECRET,
    experiments: stickyExperimentsAt(rollout).map((config) => experimentFromJSON(config)),
    sticky: counted,
    user: (request) => request.headers.get('x-user-id'),
    onError: (error) => void errors.push(error),
  });
  const assign = async (unit: { user?: string; visitor?: string }) => {
    const headers: Record<string, string> = {};
    if (unit.user) headers['x-user-id'] = unit.user;
    if (unit.visitor) headers.cookie = `bucketry_uid=${unit.visitor}`;
    const page = bucketry.fromHeaders(forwardedHeaders(await bucketry.proxy(nextRequest('/skills', { headers }))));
    return Object.fromEntries(STICKY_KEYS.map((key) => [key, (({ variant, reason }) => ({ variant, reason }))(page.assignment(key))]));
  };
  return { bucketry, assign, loads, errors };
}

describe('the proxy with sticky assignments in PostgreSQL', () => {
  it('keeps a unit’s variant across a rollout change, 10 → 50, after a restart with a cold cache', async () => {
    const movers = usersWithLayouts('next-ramp', 'tree', 'list', 4); // control at 10%, list at 50% without a record
    const units: { user?: string; visitor?: string }[] = [...movers.map((user) => ({ user })), { visitor: newAnonymousId() }];

    const first = openStore();
    const at10 = proxyWith(first.store, 10);
    const seen = [];
    for (const unit of units) seen.push(await at10.assign(unit));
    for (const user of movers) expect(seen[movers.indexOf(user)]!.skill_tree_layout).toEqual({ variant: 'tree', reason: 'bucketed' });
    await first.store.close(10_000); // writes what it queues
    expect(first.store.stats()).toMatchObject({ written: units.length * STICKY_KEYS.length, dropped: 0 });

    const second = openStore();
    const at50 = proxyWith(second.store, 50);
    for (const [i, unit] of units.entries()) {
      const now = await at50.assign(unit);
      for (const key of STICKY_KEYS) expect(now[key]).toEqual({ variant: seen[i]![key]!.variant, reason: 'sticky' });
    }
    expect(at50.loads).toEqual(units.map((unit) => [unit.user ?? unit.visitor]));
    expect([...first.errors, ...second.errors, ...at10.errors, ...at50.errors]).toEqual([]);
  });

  it('loads once per request, one query for its three experiments; a repeat visit costs none', async () => {
    const { pool, count } = countingPool();
    cleanUp.push(() => pool.end());
    const { store, errors } = openStore({ pool });
    await store.migrate();
    const proxy = proxyWith(store, 50);
    const selects = count('select');
    for (let i = 0; i < 4; i++) await proxy.assign({ user: `next-count-${i}` });
    for (let i = 0; i < 4; i++) await proxy.assign({ user: `next-count-${i}` });
    expect(proxy.loads).toHaveLength(8);
    expect(count('select') - selects).toBe(4);
    expect(store.stats()).toMatchObject({ hits: 4, misses: 4 });
    await store.close(10_000); // before the pool ends: what it queued is written
    expect(store.stats()).toMatchObject({ written: 4 * STICKY_KEYS.length, dropped: 0 });
    expect([...errors, ...proxy.errors]).toEqual([]);
  });

  it('with PostgreSQL on a closed port: plain bucketing, the store’s onError told, every load failed at once or skipped', async () => {
    const { store, errors } = openStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', loadTimeout: 10_000 }, 0);
    const proxy = proxyWith(store, 50);
    const users = Array.from({ length: 6 }, (_, i) => `next-down-${i}`);
    const answers = await Promise.all(users.map((user) => proxy.assign({ user })));
    for (const [i, user] of users.entries()) {
      for (const key of STICKY_KEYS) expect(answers[i]![key]).toEqual({ variant: plainVariant(50, key, user), reason: 'bucketed' });
    }
    const { failedLoads, skippedLoads } = store.stats();
    expect(failedLoads + skippedLoads).toBe(users.length);
    const loadErrors = errors.filter(({ context }) => context.stage === 'load');
    expect(loadErrors).toHaveLength(failedLoads);
    for (const { error } of loadErrors) expect(String(error)).toMatch(/ECONNREFUSED/);
    expect(proxy.errors).toEqual([]);
  });
});
