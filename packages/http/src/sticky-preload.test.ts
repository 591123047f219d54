import { assignVariant, createBucketry, defineExperiment, unitKey } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { memoryStickyStore } from '../../../test-support/sticky-stores.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { isAnonymousId, newAnonymousId } from './anonymous-id.js';
import type { HttpErrorContext } from './error-context.js';
import type { HttpExchange } from './http-exchange.js';
import { OptionError } from './option-error.js';
import { RequestAssignments } from './request-assignments.js';
import { resolveHttpSettings, type HttpExperimentOptions } from './settings.js';
import type { PreloadingStickyStore } from './sticky-preload.js';

// The rule the adapters share: before the first assignment, find the unit and load its records
// once; not for a visitor whose id is new on this request; a store that fails never fails it.

interface FakeRequest {
  readonly user?: unknown;
}

const skillTree = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50 });

/**
 * The adapters' in-memory preloading store (records visible only once loaded, loads listed), for
 * skill_tree_layout; `behaviour.load` replaces what a load does, the call still listed.
 */
function fakeStore(records: Record<string, string> = {}, behaviour: { load?: () => Promise<void> } = {}) {
  const memory = memoryStickyStore(skillTree.key, records);
  const load = behaviour.load;
  const store: PreloadingStickyStore = load ? { ...memory, load: (units) => (memory.loads.push([...units]), load()) } : memory;
  return { store, loads: memory.loads };
}

function setUp(sticky: PreloadingStickyStore | undefined, options: Omit<HttpExperimentOptions<FakeRequest>, 'experiments' | 'client' | 'sticky'> = {}) {
  const errors: { error: unknown; context: HttpErrorContext }[] = [];
  const { settings } = resolveHttpSettings<FakeRequest, typeof skillTree>(
    '@bucketry/test',
    { user: (req) => req.user as string, onError: (error, context) => errors.push({ error, context }), ...options, experiments: [skillTree], ...(sticky && { sticky }) },
    { header: () => undefined, search: () => '' },
  );
  const request = (req: FakeRequest = {}, cookieHeader?: string) => {
    const cookies: string[] = [];
    const exchange: HttpExchange<FakeRequest> = {
      request: req,
      cookieHeader,
      isSecure: () => false,
      setHeader: () => {},
      addCookie: (cookie) => void cookies.push(cookie),
    };
    return { assignments: new RequestAssignments(settings, exchange), cookies };
  };
  return { errors, request };
}

describe('RequestAssignments.loadSticky', () => {
  it('has nothing to wait for without a store', () => {
    const { request } = setUp(undefined);
    const { assignments, cookies } = request({ user: 'user-1' });
    expect(assignments.loadSticky()).toBeUndefined();
    expect(cookies).toEqual([]);
  });

  it('loads a signed-in user’s records once, by canonical key, and the assignment keeps them', async () => {
    const user = unitWithVariant(skillTree, 'list');
    const { store, loads } = fakeStore({ [user]: 'tree' });
    const { request, errors } = setUp(store);
    const { assignments } = request({ user });
    await assignments.loadSticky();
    expect(assignments.loadSticky()).toBeUndefined(); // the unit is found: nothing more to load on this request
    expect(loads).toEqual([[user]]);
    expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'sticky' });
    expect(errors).toEqual([]);

    const compound = { tenantId: 'acme', userId: 'u-1' };
    const second = request({ user: compound }).assignments;
    await second.loadSticky();
    expect(loads.at(-1)).toEqual([unitKey(compound)]);
  });

  it('loads a returning visitor’s anonymous id, and sets no cookie for it', async () => {
    const id = newAnonymousId();
    const { store, loads } = fakeStore({ [id]: 'list' });
    const { request } = setUp(store);
    const { assignments, cookies } = request({}, `bucketry_uid=${id}`);
    await assignments.loadSticky();
    expect(loads).toEqual([[id]]);
    expect(assignments.peek('skill_tree_layout')).toMatchObject({ unit: id, variant: 'list', reason: 'sticky' });
    expect(cookies).toEqual([]);
  });

  it('skips the load for a visitor whose id is new on this request, and issues the id on first use, as without a store', () => {
    const { store, loads } = fakeStore();
    let userLookups = 0;
    const { request } = setUp(store, { user: () => (userLookups++, null) });
    for (const cookie of [undefined, 'bucketry_uid=tampered']) {
      const { assignments, cookies } = request({}, cookie);
      expect(assignments.loadSticky()).toBeUndefined();
      expect(cookies).toEqual([]);
      const shown = assignments.show('skill_tree_layout');
      const id = /^bucketry_uid=([^;]+)/.exec(cookies[0] ?? '')?.[1];
      expect(isAnonymousId(id)).toBe(true);
      expect(shown).toEqual(assignVariant(skillTree, id!));
      expect(assignments.unit()).toEqual({ kind: 'anonymous', id, issued: true });
      expect(cookies.filter((cookie) => cookie.startsWith('bucketry_uid='))).toHaveLength(1);
    }
    expect(loads).toEqual([]);
    // Found once per request, by loadSticky: the user is not looked up again on first use.
    expect(userLookups).toBe(2);
  });

  it('loads nothing when there is no unit: the user lookup failed (reported once) or anonymous ids are off', () => {
    const { store, loads } = fakeStore();
    const failing = setUp(store, {
      user: () => {
        throw new Error('session store down');
      },
    });
    const { assignments } = failing.request();
    expect(assignments.loadSticky()).toBeUndefined();
    expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'error' });
    expect(failing.errors.map(({ context }) => context.source)).toEqual(['unit']);

    const off = setUp(store, { anonymousId: false });
    expect(off.request().assignments.loadSticky()).toBeUndefined();
    expect(loads).toEqual([]);
  });

  it.each([
    ['throws', () => {
      throw new Error('load threw');
    }],
    ['rejects', () => Promise.reject(new Error('load threw'))],
  ] as const)('reports a load that %s (source sticky) and assigns plainly; the promise resolves', async (_name, load) => {
    const user = unitWithVariant(skillTree, 'list');
    const { store, loads } = fakeStore({ [user]: 'tree' }, { load });
    const { request, errors } = setUp(store);
    const { assignments } = request({ user });
    await expect(assignments.loadSticky()).resolves.toBeUndefined();
    expect(loads).toEqual([[user]]);
    expect(errors.map(({ error, context }) => [context, (error as Error).message])).toEqual([[{ source: 'sticky' }, 'load threw']]);
    expect(assignments.show('skill_tree_layout')).toMatchObject({ variant: 'list', reason: 'bucketed' });
  });
});

describe('the sticky option', () => {
  it('hands the store to the client it creates', () => {
    const user = unitWithVariant(skillTree, 'list');
    const { store } = fakeStore();
    store.set(user, 'skill_tree_layout', 'tree');
    const { settings } = resolveHttpSettings<FakeRequest, typeof skillTree>('@bucketry/test', { experiments: [skillTree], sticky: store }, { header: () => undefined, search: () => '' });
    expect(settings.sticky).toBe(store);
    expect(settings.client.peek('skill_tree_layout', user)).toMatchObject({ variant: 'tree', reason: 'sticky' });
  });

  it('comes with a client too (the store that client was created with)', () => {
    const { store } = fakeStore();
    const client = createBucketry({ experiments: [skillTree], sticky: store });
    const { settings } = resolveHttpSettings<FakeRequest, typeof skillTree>('@bucketry/test', { client, sticky: store }, { header: () => undefined, search: () => '' });
    expect(settings.sticky).toBe(store);
  });

  it.each([null, 'postgres://db', {}, { get() {}, set() {} }, { get() {}, set() {}, load: 'now' }, { get() {}, set() {}, load() {}, close: true }])(
    'refuses %j, naming the option',
    (sticky) => {
      const create = () => resolveHttpSettings('@bucketry/test', { experiments: [skillTree], sticky: sticky as never }, { header: () => undefined, search: () => '' });
      expect(create).toThrow(OptionError);
      expect(create).toThrow(/^sticky must be a sticky store with get, set and load\(units\) functions/);
    },
  );
});
