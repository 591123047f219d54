import { assignVariant, unitKey } from '@bucketry/core';
import { isAnonymousId } from '@bucketry/http';
import { NextResponse } from 'next/server.js';
import { describe, expect, it } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { ASSIGNMENTS_HEADER } from './forwarded.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { signedAsTheProxy, skillTreeAt, skillTreeProxy } from './test-support/skill-tree.js';

const skillTree = skillTreeAt(50);

describe('the proxy, with real NextRequest and NextResponse', () => {
  it('gives a new visitor an id and a variant, and the page sees that variant on this very request', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const response = bucketry.proxy(nextRequest('/skills'));
    expect(response).toBeInstanceOf(NextResponse);
    expect(response.headers.get('x-middleware-next')).toBe('1');

    const cookies = setCookies(response);
    const id = cookieValue(cookies.get('bucketry_uid'))!;
    expect(isAnonymousId(id)).toBe(true);
    const { variant } = assignVariant(skillTree, id);
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe(variant);
    expect(cookies.get('exp_skill_tree_layout')).toBe(`exp_skill_tree_layout=${variant}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`);
    expect(cookies.get('bucketry_uid')).toBe(`bucketry_uid=${id}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`);

    // No cookie reaches this request; the forwarded header is what the page reads.
    const page = bucketry.fromHeaders(forwardedHeaders(response));
    expect(page.variant('skill_tree_layout')).toBe(variant);
    const { error: _none, ...expected } = assignVariant(skillTree, id);
    expect(page.assignments).toEqual([{ ...expected, configVersion: skillTree.version }]);
    // Plain data, as a Server Component may pass it to a client component.
    expect(JSON.parse(JSON.stringify(page.assignments))).toEqual(page.assignments);
  });

  it('forwards the cookies it sets, so that cookies() in the page has the new visitor’s id and variant on this very request', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const response = bucketry.proxy(nextRequest('/skills', { headers: { cookie: 'session_user=bob; theme=dark' } }));
    const id = cookieValue(setCookies(response).get('bucketry_uid'))!;
    // What cookies() parses: the Cookie header of the request the page is rendered for.
    const pageCookies = nextRequest('/skills', { headers: forwardedHeaders(response) }).cookies;
    expect(Object.fromEntries(pageCookies.getAll().map((c) => [c.name, c.value]))).toEqual({
      session_user: 'bob',
      theme: 'dark',
      bucketry_uid: id,
      exp_skill_tree_layout: response.headers.get('x-experiment-skill-tree-layout'),
    });
  });

  it('forwards a returning visitor’s Cookie header as it came, when it sets no cookie', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const user = unitWithVariant(skillTree, 'list');
    const cookie = 'theme=dark; exp_skill_tree_layout=list';
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user, cookie } }));
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(forwardedHeaders(response).get('cookie')).toBe(cookie);
  });

  it('keeps a returning visitor’s variant without setting any cookie again', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const first = bucketry.proxy(nextRequest('/skills'));
    const id = cookieValue(setCookies(first).get('bucketry_uid'))!;
    const variant = first.headers.get('x-experiment-skill-tree-layout')!;
    const second = bucketry.proxy(nextRequest('/skills', { headers: { cookie: `bucketry_uid=${id}; exp_skill_tree_layout=${variant}` } }));
    expect(second.headers.get('x-experiment-skill-tree-layout')).toBe(variant);
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(bucketry.fromHeaders(forwardedHeaders(second)).assignment('skill_tree_layout').unit).toBe(id);
  });

  it('assigns a signed-in user by their id, issuing no anonymous id', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const user = unitWithVariant(skillTree, 'list');
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    expect([...setCookies(response).keys()]).toEqual(['exp_skill_tree_layout']);
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout')).toMatchObject({ unit: unitKey(user), variant: 'list' });
  });

  it('forwards the request’s own headers untouched, and replaces a forged assignment header', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const user = unitWithVariant(skillTree, 'tree');
    const forged = encodeURIComponent(JSON.stringify([{ experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed', bucket: 1, unit: user }]));
    const response = bucketry.proxy(
      nextRequest('/skills', { headers: { 'x-user-id': user, 'accept-language': 'de', [ASSIGNMENTS_HEADER]: forged } }),
    );
    const forwarded = forwardedHeaders(response);
    expect(forwarded.get('x-user-id')).toBe(user);
    expect(forwarded.get('accept-language')).toBe('de');
    expect(bucketry.fromHeaders(forwarded).variant('skill_tree_layout')).toBe('tree');
  });

  it('adds Secure to its cookies over HTTPS', () => {
    const { bucketry } = skillTreeProxy(skillTree);
    const lines = bucketry.proxy(nextRequest('/skills', { https: true })).headers.getSetCookie();
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain('; SameSite=Lax; Secure; HttpOnly');
  });

  describe('routes', () => {
    const { bucketry } = skillTreeProxy(skillTree, { routes: { '/skills': ['skill_tree_layout'] } });

    it.each(['/skills', '/skills/', '/skills/tree/42'])('assigns the experiment under its prefix (%s)', (path) => {
      expect(bucketry.proxy(nextRequest(path)).headers.get('x-experiment-skill-tree-layout')).toMatch(/^(tree|list)$/);
    });

    it.each(['/', '/about', '/skillset', '/skill'])('assigns nothing elsewhere (%s): no header, no cookie, an empty forwarded list', (path) => {
      const response = bucketry.proxy(nextRequest(path, { headers: { [ASSIGNMENTS_HEADER]: 'forged' } }));
      expect(response.headers.get('x-experiment-skill-tree-layout')).toBeNull();
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(forwardedHeaders(response).get(ASSIGNMENTS_HEADER)).toBe(signedAsTheProxy(encodeURIComponent('[]')));
    });

    it('gives control, reported, when a composed proxy asks for an experiment its route does not assign', () => {
      const routed = skillTreeProxy(skillTree, { routes: { '/skills': ['skill_tree_layout'] } });
      expect(routed.bucketry.assignRequest(nextRequest('/about')).variant('skill_tree_layout')).toBe('tree');
      expect(routed.errors.map((e) => [String(e.error), e.context])).toEqual([
        ['Error: skill_tree_layout is not assigned on /about (see routes)', { source: 'middleware', experiment: 'skill_tree_layout' }],
      ]);
    });

    it('takes a function of the request', () => {
      const byQuery = skillTreeProxy(skillTree, { routes: (request) => (request.nextUrl.searchParams.has('beta') ? ['skill_tree_layout'] : []) });
      expect(byQuery.bucketry.proxy(nextRequest('/x?beta=1')).headers.has('x-experiment-skill-tree-layout')).toBe(true);
      expect(byQuery.bucketry.proxy(nextRequest('/x')).headers.has('x-experiment-skill-tree-layout')).toBe(false);
    });
  });

  describe('assignRequest, for a response of your own', () => {
    it('gives the assignments and the headers to forward, and sets the response headers on any response', () => {
      const { bucketry } = skillTreeProxy(skillTree);
      const user = unitWithVariant(skillTree, 'list');
      const assigned = bucketry.assignRequest(nextRequest('/skills', { headers: { 'x-user-id': user } }));
      expect(assigned.variant('skill_tree_layout')).toBe('list');
      expect(assigned.unit).toEqual({ kind: 'user', id: user });
      expect(assigned.assignments).toEqual([{ experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed', bucket: assignVariant(skillTree, user).bucket, unit: user }]);
      const rewrite = assigned.applyTo(NextResponse.rewrite(new URL('https://shop.example/skills/list'), { request: { headers: assigned.requestHeaders } }));
      expect(rewrite.headers.get('x-middleware-rewrite')).toBe('https://shop.example/skills/list');
      expect(rewrite.headers.get('x-experiment-skill-tree-layout')).toBe('list');
      expect(bucketry.fromHeaders(forwardedHeaders(rewrite)).variant('skill_tree_layout')).toBe('list');
    });
  });
});
