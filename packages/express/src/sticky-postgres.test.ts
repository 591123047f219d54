import { experimentFromJSON } from '@bucketry/core';
import { newAnonymousId, type PreloadingStickyStore } from '@bucketry/http';
import { createPostgresStickyStore } from '@bucketry/live';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresKit, uniqueName } from '../../../test-support/postgres-kit.js';
import { postgresStickyStores } from '../../../test-support/postgres-sticky-stores.js';
import { silentServer } from '../../../test-support/silent-server.js';
import { plainVariant, STICKY_KEYS, stickyExperimentsAt, usersWithLayouts } from '../../../test-support/sticky-experiments.js';
import { countingLoads } from '../../../test-support/sticky-stores.js';
import type { ExpressErrorContext } from './error-context.js';
import { createExperimentMiddleware, type ExperimentMiddleware } from './middleware.js';
import { EXPRESS_VERSIONS, type AnyExpressApp } from './test-support/express-versions.js';
import { listen } from './test-support/listen.js';

// The middleware with @bucketry/live's PostgreSQL sticky store, against the real database (its
// own schema, dropped afterwards), or against none (a closed port, a server that never answers).

const { dropSchema, countingPool } = postgresKit(pg);
const schema = uniqueName('express_sticky');
const admin = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
const cleanUp: (() => Promise<unknown>)[] = [];
afterEach(async () => void (await Promise.all(cleanUp.splice(0).map((close) => close()))));
afterAll(async () => {
  await admin.end();
  await dropSchema(schema);
});

/** A store on this file's schema (or where the options say); closed after the test. */
const openStore = postgresStickyStores(createPostgresStickyStore, schema, (close) => cleanUp.push(close));

describe.each(EXPRESS_VERSIONS)('sticky assignments in PostgreSQL on $name', ({ createApp, major }) => {
  /**
   * An app where every request passes `app.use(experiments(...))` and the route's own middleware:
   * `GET /one` reads one experiment, `GET /all` three; each answers `{ key: { variant, reason } }`.
   */
  async function serve(sticky: PreloadingStickyStore, rollout: number) {
    const errors: { error: unknown; context: ExpressErrorContext }[] = [];
    const experiments = createExperimentMiddleware({
      experiments: stickyExperimentsAt(rollout).map((config) => experimentFromJSON(config)),
      sticky,
      user: (req) => req.get('x-user-id'),
      onError: (error, context) => void errors.push({ error, context }),
    });
    const app: AnyExpressApp = createApp();
    app.use(experiments('skill_tree_layout'));
    const answer = (keys: readonly string[]) => (_req: unknown, res: { locals: Record<string, unknown>; json(body: unknown): void }) => {
      const request = (experiments as ExperimentMiddleware).from(res);
      res.json(Object.fromEntries(keys.map((key) => [key, (({ variant, reason }) => ({ variant, reason }))(request.assignment(key))])));
    };
    app.get('/one', experiments('skill_tree_layout'), answer(['skill_tree_layout']));
    app.get('/all', experiments(...STICKY_KEYS), answer(STICKY_KEYS));
    const server = await listen(app);
    cleanUp.push(() => server.close());
    const get = async (path: string, unit: { user?: string; visitor?: string }) => {
      const headers: Record<string, string> = {};
      if (unit.user) headers['x-user-id'] = unit.user;
      if (unit.visitor) headers.cookie = `bucketry_uid=${unit.visitor}`;
      const response = await fetch(`${server.url}${path}`, { headers });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, { variant: string; reason: string }>;
    };
    return { experiments, errors, get };
  }

  it('keeps a unit’s variant across a rollout change, 10 → 50: through the client’s update, and after a restart with a cold cache', async () => {
    const prefix = `e${major}-ramp`;
    const movers = usersWithLayouts(prefix, 'tree', 'list', 4); // control at 10%, list at 50% without a record
    const treated = usersWithLayouts(prefix, 'list', 'list', 2);
    const visitors = [newAnonymousId(), newAnonymousId()];
    const units = [...movers.map((user) => ({ user })), ...treated.map((user) => ({ user })), ...visitors.map((visitor) => ({ visitor }))];

    const first = openStore();
    const at10 = await serve(first.store, 10);
    const seen = [];
    for (const unit of units) seen.push(await at10.get('/all', unit));
    for (const [i, unit] of [...movers, ...treated, ...visitors].entries()) {
      for (const key of STICKY_KEYS) expect(seen[i]![key]).toEqual({ variant: plainVariant(10, key, unit), reason: 'bucketed' });
    }

    // The same process, the rollout raised: the records this instance set keep the units where they were.
    at10.experiments.client.update(stickyExperimentsAt(50));
    for (const user of movers) expect((await at10.get('/one', { user })).skill_tree_layout).toEqual({ variant: 'tree', reason: 'sticky' });
    await at10.experiments.close(); // writes what the store queues, and closes it
    expect(first.store.stats()).toMatchObject({ written: units.length * STICKY_KEYS.length, dropped: 0, queued: 0, failedLoads: 0 });
    const { rows } = await admin.query(`select count(*)::int as n from "${schema}".experiment_assignments where unit like $1 or unit = any($2)`, [`${prefix}-%`, visitors]);
    expect(rows[0]!.n).toBe(units.length * STICKY_KEYS.length);

    // A restart at 50%: a new store with nothing cached reads the records back, one load per request.
    const second = openStore();
    const { counted, loads } = countingLoads(second.store);
    const at50 = await serve(counted, 50);
    for (const [i, unit] of units.entries()) {
      const now = await at50.get('/all', unit);
      for (const key of STICKY_KEYS) expect(now[key]).toEqual({ variant: seen[i]![key]!.variant, reason: 'sticky' });
    }
    for (const user of movers) expect((await at50.get('/one', { user })).skill_tree_layout!.variant).toBe('tree');
    const newcomer = usersWithLayouts(`${prefix}-new`, 'tree', 'list', 1)[0]!;
    expect((await at50.get('/one', { user: newcomer })).skill_tree_layout).toEqual({ variant: 'list', reason: 'bucketed' });
    expect(loads).toHaveLength(units.length + movers.length + 1);
    expect(second.store.stats()).toMatchObject({ loaded: units.length + 1, hits: movers.length, failedLoads: 0 });
    expect([...first.errors, ...second.errors, ...at10.errors, ...at50.errors]).toEqual([]);
  });

  it('loads once per request, one query, whatever the number of experiments; repeat visits cost none; records go in one batch', async () => {
    const { pool, count } = countingPool();
    cleanUp.push(() => pool.end());
    const { store, errors } = openStore({ pool, flushInterval: 60_000 }); // written only when flushed: a batch is what was queued
    await store.migrate();
    const { counted, loads } = countingLoads(store);
    const app = await serve(counted, 50);
    const users = Array.from({ length: 6 }, (_, i) => `e${major}-count-${i}`);
    const selectsBefore = count('select');

    for (const user of users.slice(0, 3)) await app.get('/one', { user });
    for (const user of users.slice(3)) await app.get('/all', { user });
    expect(loads).toEqual(users.map((user) => [user])); // two middlewares on each request, one load
    expect(count('select') - selectsBefore).toBe(6); // one and three experiments alike: one query

    for (const user of users) await app.get('/all', { user });
    expect(loads).toHaveLength(12);
    expect(count('select') - selectsBefore).toBe(6); // the cache: no round trip
    expect(store.stats()).toMatchObject({ hits: 6, misses: 6 });

    await store.flush(10_000);
    expect(count('with')).toBe(1); // the batch's statement: with input as (…) insert … on conflict
    expect(store.stats()).toMatchObject({ written: 3 + 3 * 3 + 3 * 2, batches: 1 });
    expect([...errors, ...app.errors]).toEqual([]);
  });

  it('with PostgreSQL on a closed port: every request is a 200 with plain bucketing, the store’s onError is told, no load waits out its timeout', async () => {
    const { store, errors } = openStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', loadTimeout: 10_000 }, 0);
    const app = await serve(store, 50);
    const units = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? { user: `e${major}-down-${i}` } : { visitor: newAnonymousId() }));
    const answers = await Promise.all(units.map((unit) => app.get('/all', unit)));
    for (const [i, unit] of units.entries()) {
      for (const key of STICKY_KEYS) expect(answers[i]![key]).toEqual({ variant: plainVariant(50, key, unit.user ?? unit.visitor!), reason: 'bucketed' });
    }
    // Each request's load failed at once (connection refused) or was skipped while the store backs off.
    const { failedLoads, skippedLoads, loaded } = store.stats();
    expect([failedLoads + skippedLoads, loaded]).toEqual([units.length, 0]);
    const loadErrors = errors.filter(({ context }) => context.stage === 'load');
    expect(loadErrors).toHaveLength(failedLoads);
    for (const { error } of loadErrors) expect(String(error)).toMatch(/ECONNREFUSED/);
    expect(app.errors).toEqual([]); // load resolved: nothing for the middleware to report
  });

  it('with PostgreSQL that never answers: every request is a 200 with plain bucketing once the store’s loadTimeout ends its load', async () => {
    const silent = await silentServer();
    cleanUp.push(() => silent.close());
    // No connection timeout of the pool's own: only loadTimeout can end a load, so a request answered is one that waited no longer.
    const pool = new pg.Pool({ host: '127.0.0.1', port: silent.port, user: 'postgres', database: 'test', connectionTimeoutMillis: 0 });
    cleanUp.push(() => pool.end().catch(() => {}));
    const { store, errors } = openStore({ pool, loadTimeout: 200 }, 0);
    const app = await serve(store, 50);
    const users = Array.from({ length: 8 }, (_, i) => `e${major}-silent-${i}`);
    const answers = await Promise.all(users.map((user) => app.get('/all', { user })));
    for (const [i, user] of users.entries()) {
      for (const key of STICKY_KEYS) expect(answers[i]![key]).toEqual({ variant: plainVariant(50, key, user), reason: 'bucketed' });
    }
    const { failedLoads, skippedLoads } = store.stats();
    expect(failedLoads + skippedLoads).toBe(users.length);
    const loadErrors = errors.filter(({ context }) => context.stage === 'load');
    expect(loadErrors.length).toBeGreaterThan(0);
    for (const { error } of loadErrors) expect(String(error)).toContain('took longer than loadTimeout (200 ms)');
    expect(app.errors).toEqual([]);
  });
});
