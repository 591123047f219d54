import { assignVariant, createBucketry, createMemorySink, type ExposureSink } from '@bucketry/core';
import { isAnonymousId, newAnonymousId, type HttpErrorContext, type PreloadingStickyStore } from '@bucketry/http';
import { NextResponse } from 'next/server.js';
import { describe, expect, it } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { FAILING_LOADS, memoryStickyStore } from '../../../test-support/sticky-stores.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { createNextExperiments } from './next-experiments.js';
import { forwardedHeaders, nextRequest, recordingEvent } from './test-support/next-http.js';
import { skillTreeAt, TEST_SECRET } from './test-support/skill-tree.js';

// The proxy with a sticky store, a store in memory here: it loads the unit's records once before
// assigning (not for a new visitor), and a store that fails never fails the request.

const skillTree = skillTreeAt(50);
const pricing = { key: 'pricing_table', variants: ['a', 'b', 'c'] } as const;

function stickyProxy(sticky: PreloadingStickyStore, sink: ExposureSink = createMemorySink()) {
  const errors: { error: unknown; context: HttpErrorContext }[] = [];
  const bucketry = createNextExperiments({
    secret: TEST_SECRET,
    experiments: [skillTree, pricing],
    routes: { '/skills': ['skill_tree_layout', 'pricing_table'] },
    sticky,
    sink,
    user: (request) => request.headers.get('x-user-id'),
    onError: (error, context) => void errors.push({ error, context }),
  });
  return { bucketry, errors };
}

describe('the proxy with a sticky store', () => {
  it('loads the signed-in user’s records once, whatever the number of experiments, before assigning', async () => {
    const user = unitWithVariant(skillTree, 'list');
    const store = memoryStickyStore(skillTree.key, { [user]: 'tree' });
    const { bucketry, errors } = stickyProxy(store);
    const pending = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user } }));
    expect(pending).toBeInstanceOf(Promise);
    const response = await pending;
    expect(response).toBeInstanceOf(NextResponse);
    expect(store.loads).toEqual([[user]]);
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    const page = bucketry.fromHeaders(forwardedHeaders(response));
    expect(page.assignment('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'sticky' });
    expect(page.assignment('pricing_table')).toMatchObject({ reason: 'bucketed' });
    expect(errors).toEqual([]);
  });

  it('loads the user the proxy passes as facts, and a returning visitor’s anonymous id', async () => {
    const visitor = newAnonymousId();
    const store = memoryStickyStore(skillTree.key, { 'from-session': 'list', [visitor]: 'list' });
    const { bucketry } = stickyProxy(store);
    const assigned = await bucketry.assignRequest(nextRequest('/skills'), undefined, { user: 'from-session' });
    expect(assigned.variant('skill_tree_layout')).toBe('list');
    const back = await bucketry.assignRequest(nextRequest('/skills', { headers: { cookie: `bucketry_uid=${visitor}` } }));
    expect(back.unit).toEqual({ kind: 'anonymous', id: visitor, issued: false });
    expect(back.assignments.find((a) => a.experiment === 'skill_tree_layout')).toMatchObject({ variant: 'list', reason: 'sticky' });
    expect(store.loads).toEqual([['from-session'], [visitor]]);
  });

  it('loads nothing on a route without experiments', async () => {
    const store = memoryStickyStore(skillTree.key);
    const { bucketry } = stickyProxy(store);
    const response = await bucketry.proxy(nextRequest('/about', { headers: { 'x-user-id': 'user-1' } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBeNull();
    expect(store.loads).toEqual([]);
  });

  it('asks a routes function and user() once per request, as without a store: the request the load prepared is the one assigned', async () => {
    let asked = 0;
    let users = 0;
    const store = memoryStickyStore(skillTree.key);
    const bucketry = createNextExperiments({
      secret: TEST_SECRET,
      experiments: [skillTree],
      sticky: store,
      routes: () => (asked++, ['skill_tree_layout']),
      user: (request) => (users++, request.headers.get('x-user-id')),
    });
    await bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': 'user-1' } }));
    expect([asked, users, store.loads.length]).toEqual([1, 1, 1]);
  });

  it('loads nothing for a new visitor, who gets an id, its cookie and plain bucketing', async () => {
    const store = memoryStickyStore(skillTree.key);
    const { bucketry } = stickyProxy(store);
    const response = await bucketry.proxy(nextRequest('/skills'));
    const id = cookieValue(setCookies(response).get('bucketry_uid'));
    expect(isAnonymousId(id)).toBe(true);
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe(assignVariant(skillTree, id!).variant);
    expect(store.loads).toEqual([]);
  });

  it.each(FAILING_LOADS)('answers with plain bucketing when load %s, reported with source sticky; exposures still go through waitUntil', async (_name, load) => {
    const user = unitWithVariant(skillTree, 'list');
    const sink = createMemorySink();
    const { bucketry, errors } = stickyProxy({ ...memoryStickyStore(skillTree.key, { [user]: 'tree' }), load }, sink);
    const event = recordingEvent();
    const response = await bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user } }), event);
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    expect(errors.map(({ error, context }) => [context.source, (error as Error).message])).toEqual([['sticky', 'store refused']]);
    await Promise.all(event.promises);
    expect(sink.events.map((e) => [e.experiment, e.unit, e.variant])).toContainEqual(['skill_tree_layout', user, 'list']);
  });

  it('answers at once, with no promise, without a store', () => {
    const bucketry = createNextExperiments({ secret: TEST_SECRET, experiments: [skillTree] });
    expect(bucketry.proxy(nextRequest('/skills'))).toBeInstanceOf(NextResponse);
    expect(bucketry.assignRequest(nextRequest('/skills'))).not.toBeInstanceOf(Promise);
  });

  it('works with a client created with the store, and close() closes both', async () => {
    const user = unitWithVariant(skillTree, 'list');
    const store = memoryStickyStore(skillTree.key, { [user]: 'tree' });
    let sinkClosed = 0;
    const client = createBucketry({ experiments: [skillTree], sticky: store, sink: { write: () => {}, close: async () => void sinkClosed++ } });
    const bucketry = createNextExperiments({ secret: TEST_SECRET, client, sticky: store, user: (request) => request.headers.get('x-user-id') });
    expect((await bucketry.assignRequest(nextRequest('/skills', { headers: { 'x-user-id': user } }))).variant('skill_tree_layout')).toBe('tree');
    await bucketry.close();
    expect([sinkClosed, store.closed()]).toEqual([1, 1]);
  });

  it('refuses a sticky option that is not a preloading store', () => {
    expect(() => createNextExperiments({ experiments: [skillTree], sticky: { get() {}, set() {} } as never })).toThrow(
      '@bucketry/next: sticky must be a sticky store with get, set and load(units) functions',
    );
  });
});
