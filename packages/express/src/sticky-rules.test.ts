import { assignVariant, createBucketry, type ExposureSink } from '@bucketry/core';
import { isAnonymousId, newAnonymousId, type PreloadingStickyStore } from '@bucketry/http';
import { describe, expect, it } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { FAILING_LOADS, memoryStickyStore } from '../../../test-support/sticky-stores.js';
import { unitWithVariant } from '../../../test-support/units.js';
import type { ExpressErrorContext } from './error-context.js';
import type { ExpressRequest, ExpressResponse } from './express-types.js';
import { createExperimentMiddleware, type ExperimentMiddlewareOptions } from './middleware.js';
import { EXPRESS_VERSIONS } from './test-support/express-versions.js';
import { skillTreeAt, testServers } from './test-support/skill-tree-app.js';

// The middleware's sticky rules, with a store in memory: the unit's records are loaded once per
// request before the handler runs; not for a new visitor; a store that fails never fails a request.

const skillTree = skillTreeAt(50);

function middlewareWith(sticky: PreloadingStickyStore | undefined, options: Partial<ExperimentMiddlewareOptions> = {}) {
  const errors: { error: unknown; context: ExpressErrorContext }[] = [];
  const experiments = createExperimentMiddleware({
    experiments: [skillTree],
    user: (req) => req.headers['x-user-id'] as string | undefined,
    onError: (error, context) => void errors.push({ error, context }),
    ...(sticky && { sticky }),
    ...options,
  });
  return { experiments, errors };
}

/** Node-free stand-ins for one request: enough for the middleware to run without a server. */
function standIns(headers: Record<string, string> = {}) {
  const setHeaders: string[] = [];
  const req = { headers, url: '/' } as unknown as ExpressRequest;
  const res = { locals: {}, setHeader: (name: string) => void setHeaders.push(name), appendHeader: () => {}, headersSent: false } as unknown as ExpressResponse;
  return { req, res };
}

/** Runs a handler and says whether `next` was called before it returned. */
function run(handler: (req: ExpressRequest, res: never, next: () => void) => void, headers: Record<string, string> = {}) {
  const { req, res } = standIns(headers);
  let nexts = 0;
  let resolveNext!: () => void;
  const nextCalled = new Promise<void>((resolve) => (resolveNext = resolve));
  handler(req, res as never, () => {
    nexts++;
    resolveNext();
  });
  return { synchronously: nexts === 1, nextCalled, nexts: () => nexts, res };
}

describe('the sticky option, the middleware called directly', () => {
  it('without a store, calls next() before it returns: nothing is awaited', () => {
    const { experiments } = middlewareWith(undefined);
    expect(run(experiments('skill_tree_layout'), { 'x-user-id': 'user-1' }).synchronously).toBe(true);
  });

  it('with a store, calls next() only once the unit’s records are loaded', async () => {
    let finish!: () => void;
    const store = memoryStickyStore(skillTree.key);
    const pending = { ...store, load: (units: readonly string[]) => (store.loads.push([...units]), new Promise<void>((resolve) => (finish = resolve))) };
    const { experiments } = middlewareWith(pending);
    const call = run(experiments('skill_tree_layout'), { 'x-user-id': 'user-1' });
    await Promise.resolve();
    expect(call.nexts()).toBe(0);
    expect(store.loads).toEqual([['user-1']]);
    finish();
    await call.nextCalled;
    expect(call.nexts()).toBe(1);
  });

  it('with a store, calls next() before it returns for a visitor without an id (nothing to load)', () => {
    const store = memoryStickyStore(skillTree.key);
    const { experiments } = middlewareWith(store);
    expect(run(experiments('skill_tree_layout')).synchronously).toBe(true);
    expect(store.loads).toEqual([]);
  });

  it('close() closes the client and the store', async () => {
    const store = memoryStickyStore(skillTree.key);
    let sinkClosed = 0;
    const sink: ExposureSink = { write: () => {}, close: async () => void sinkClosed++ };
    const { experiments } = middlewareWith(store, { sink });
    await experiments.close();
    expect([sinkClosed, store.closed()]).toEqual([1, 1]);
  });
});

describe.each(EXPRESS_VERSIONS)('the sticky option on $name', ({ createApp }) => {
  const { listen } = testServers(createApp);

  /** An app whose every route goes through `app.use(experiments(...))` and a route's own middleware: two on one request. */
  async function serve(sticky: PreloadingStickyStore, options: Partial<ExperimentMiddlewareOptions> = {}) {
    const { experiments, errors } = middlewareWith(sticky, options);
    const app = createApp();
    app.use(experiments('skill_tree_layout'));
    app.get('/assign', experiments('skill_tree_layout'), (_req, res) => {
      const { variant, reason } = res.locals.experiments.assignment('skill_tree_layout');
      res.json({ variant, reason, unit: res.locals.experiments.unit() });
    });
    const server = await listen(app);
    return { url: server.url, errors, experiments };
  }

  it('loads a signed-in user’s records once per request, before the handler reads them', async () => {
    const user = unitWithVariant(skillTree, 'list');
    const store = memoryStickyStore(skillTree.key, { [user]: 'tree' });
    const { url, errors } = await serve(store);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${url}/assign`, { headers: { 'x-user-id': user } });
      expect(await response.json()).toMatchObject({ variant: 'tree', reason: 'sticky' });
    }
    expect(store.loads).toEqual([[user], [user], [user]]);
    expect(errors).toEqual([]);
  });

  it('loads a returning visitor’s anonymous id; skips the load for a new visitor, who gets an id and plain bucketing', async () => {
    const returning = newAnonymousId();
    const store = memoryStickyStore(skillTree.key, { [returning]: 'list' });
    const { url } = await serve(store);
    const back = await fetch(`${url}/assign`, { headers: { cookie: `bucketry_uid=${returning}` } });
    expect(await back.json()).toMatchObject({ variant: 'list', reason: 'sticky', unit: { kind: 'anonymous', id: returning, issued: false } });
    expect(store.loads).toEqual([[returning]]);

    const first = await fetch(`${url}/assign`);
    const id = cookieValue(setCookies(first).get('bucketry_uid'));
    expect(isAnonymousId(id)).toBe(true);
    expect(await first.json()).toEqual({ variant: assignVariant(skillTree, id!).variant, reason: 'bucketed', unit: { kind: 'anonymous', id, issued: true } });
    expect(store.loads).toEqual([[returning]]);
  });

  it.each(FAILING_LOADS)('answers 200 with plain bucketing when load %s, and reports it (source sticky)', async (_name, load) => {
    const user = unitWithVariant(skillTree, 'list');
    const store = { ...memoryStickyStore(skillTree.key, { [user]: 'tree' }), load };
    const { url, errors } = await serve(store);
    const response = await fetch(`${url}/assign`, { headers: { 'x-user-id': user } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ variant: 'list', reason: 'bucketed' });
    expect(errors.map(({ error, context }) => [context.source, (error as Error).message])).toEqual([['sticky', 'store refused']]);
  });

  it('works with a client created with the store', async () => {
    const user = unitWithVariant(skillTree, 'list');
    const store = memoryStickyStore(skillTree.key, { [user]: 'tree' });
    const client = createBucketry({ experiments: [skillTree], sticky: store });
    const { experiments, errors } = middlewareWith(store, { experiments: undefined, client } as Partial<ExperimentMiddlewareOptions>);
    const app = createApp();
    app.get('/assign', experiments('skill_tree_layout'), (_req, res) => res.json(res.locals.experiments.assignment('skill_tree_layout')));
    const { url } = await listen(app);
    expect(await (await fetch(`${url}/assign`, { headers: { 'x-user-id': user } })).json()).toMatchObject({ variant: 'tree', reason: 'sticky' });
    expect(store.loads).toEqual([[user]]);
    expect(errors).toEqual([]);
  });
});
