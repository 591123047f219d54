import { assignVariant, unitKey } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy } from './test-support/skill-tree.js';

const skillTree = skillTreeAt(50);
const listUser = unitWithVariant(skillTree, 'list');

/** A session store that answers later, as a database, Auth.js's auth() or a JWT check does. */
const lookUpSession = async (request: Request) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return request.headers.get('cookie')?.includes('session=s1') ? { userId: listUser, plan: 'pro' } : undefined;
};

describe('facts the proxy looked up itself (an await before calling it)', () => {
  it('assigns the user an async session lookup found, as the user option would, with no anonymous id', async () => {
    const { bucketry, sink } = skillTreeProxy(skillTree, { user: () => 'never-asked' });
    const proxy = async (request: ReturnType<typeof nextRequest>) => bucketry.proxy(request, undefined, { user: (await lookUpSession(request))?.userId });
    const response = await proxy(nextRequest('/skills', { headers: { cookie: 'session=s1' } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    expect([...setCookies(response).keys()]).toEqual(['exp_skill_tree_layout']);
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout')).toMatchObject({ variant: 'list', unit: unitKey(listUser) });
    expect(sink.events).toMatchObject([{ unit: listUser, variant: 'list' }]);
  });

  it('treats a given user of undefined as a visitor, not as a reason to ask the user option', async () => {
    const { bucketry } = skillTreeProxy(skillTree, { user: () => listUser });
    const response = bucketry.proxy(nextRequest('/skills'), undefined, { user: undefined });
    const id = cookieValue(setCookies(response).get('bucketry_uid'))!;
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe(assignVariant(skillTree, id).variant);
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout').unit).toBe(id);
  });

  it('asks the user option as before when no user is given, and on a later call without facts', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const request = nextRequest('/skills', { headers: { 'x-user-id': listUser } });
    expect(bucketry.assignRequest(request, undefined, { attributes: { plan: 'pro' } }).unit).toEqual({ kind: 'user', id: listUser });
    expect(bucketry.assignRequest(request, undefined, { user: 'someone-else' }).unit).toEqual({ kind: 'user', id: 'someone-else' });
    expect(bucketry.assignRequest(request).unit).toEqual({ kind: 'user', id: listUser });
  });

  it('gives eligibility rules the attributes it was given', () => {
    const proOnly = skillTreeAt(100, { eligibility: (attributes) => attributes?.plan === 'pro' });
    const { bucketry } = skillTreeProxy(proOnly, { attributes: () => ({ plan: 'free' }) });
    const variantFor = (plan: string) => bucketry.assignRequest(nextRequest('/skills', { headers: { 'x-user-id': 'user-1' } }), undefined, { attributes: { plan } });
    expect(variantFor('pro').assignments[0]).toMatchObject({ variant: 'list', reason: 'bucketed' });
    expect(variantFor('free').assignments[0]).toMatchObject({ variant: 'tree', reason: 'ineligible' });
  });

  it.each(['user', 'attributes'] as const)('gives control, reported with the way out (facts), for a %s option that returns a promise', (option) => {
    const { bucketry, errors } = skillTreeProxy(skillTreeAt(100), { [option]: (async () => listUser) as never });
    const request = nextRequest('/skills', { headers: { 'x-user-id': listUser } });
    expect(bucketry.proxy(request).headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(errors).toEqual([
      {
        error: new TypeError(
          `@bucketry/next: ${option}(req) returned a Promise; it must return the ${option} synchronously. Await the lookup in your proxy and pass the ${option}: bucketry.proxy(request, event, { ${option} })`,
        ),
        context: { source: option === 'user' ? 'unit' : 'attributes' },
      },
    ]);
  });

  it('gives control, reported, for a user passed as a promise (a missing await)', () => {
    const { bucketry, errors, sink } = skillTreeProxy(skillTreeAt(100));
    const response = bucketry.proxy(nextRequest('/skills'), undefined, { user: lookUpSession(nextRequest('/skills')) as never });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(errors).toEqual([
      { error: new TypeError('@bucketry/next: the user given for this request is a Promise; await it before passing it'), context: { source: 'unit' } },
    ]);
    expect(sink.events).toEqual([]);
  });

  it('gives control, reported, for a given user that is not a unit', () => {
    const { bucketry, errors, sink } = skillTreeProxy(skillTree);
    const response = bucketry.proxy(nextRequest('/skills'), undefined, { user: { tenantId: '' } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(errors.map((e) => e.context)).toEqual([{ source: 'unit' }]);
    expect(String(errors[0]!.error)).toContain('user(req) must return a non-empty string, a compound unit');
    expect(sink.events).toEqual([]);
  });
});
