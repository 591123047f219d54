import { assignVariant } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { forwardedHeaders, nextRequest } from './test-support/next-http.js';
import { skillTreeAt, skillTreeProxy } from './test-support/skill-tree.js';

// The rules @bucketry/express follows, through the Next proxy.
describe('the HTTP rules in the proxy', () => {
  it.each([
    ['rollout 0', skillTreeAt(0)],
    ['enabled: false', skillTreeAt(100, { enabled: false })],
  ])('the kill switch (%s) beats a list cookie: control, the cookie rewritten, nothing exposed', (_name, experiment) => {
    const { bucketry, sink } = skillTreeProxy(experiment);
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': 'user-1', cookie: 'exp_skill_tree_layout=list' } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('tree');
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout')).toMatchObject({ variant: 'tree', reason: 'disabled' });
    // cookies() in the page reads the rewritten cookie too, not the list one the browser sent.
    expect(nextRequest('/skills', { headers: forwardedHeaders(response) }).cookies.get('exp_skill_tree_layout')?.value).toBe('tree');
    expect(sink.events).toEqual([]);
  });

  it('never moves a list visitor back to tree as the rollout ramps 10 → 50 → 100', () => {
    const ids = Array.from({ length: 1500 }, (_, i) => `0000${i.toString(16).padStart(4, '0')}-0000-4000-8000-000000000000`);
    const variantsAt = (rollout: number) => {
      const { bucketry } = skillTreeProxy(skillTreeAt(rollout));
      return ids.map((id) => bucketry.proxy(nextRequest('/skills', { headers: { cookie: `bucketry_uid=${id}` } })).headers.get('x-experiment-skill-tree-layout'));
    };
    const [at10, at50, at100] = [variantsAt(10), variantsAt(50), variantsAt(100)];
    expect(at10.filter((v) => v === 'list').length).toBeGreaterThan(75);
    ids.forEach((_, i) => {
      if (at10[i] === 'list') expect(at50[i], ids[i]).toBe('list');
      if (at50[i] === 'list') expect(at100[i], ids[i]).toBe('list');
    });
    expect(at100.every((v) => v === 'list')).toBe(true);
  });

  it.each(['admin', 'user-42', '1B4E28BA-2FA1-4D3B-A3F5-EF19B5A7633B', ''])('replaces a tampered anonymous id (%j)', (tampered) => {
    const { bucketry } = skillTreeProxy(skillTreeAt(50));
    const response = bucketry.proxy(nextRequest('/skills', { headers: { cookie: `bucketry_uid=${tampered}` } }));
    const issued = cookieValue(setCookies(response).get('bucketry_uid'));
    expect(issued).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout').unit).toBe(issued);
  });

  it.each(['hacker', 'list', '"list"', 'LIST'])('never takes the variant from its cookie (%j): a tree user stays tree and the cookie is rewritten', (value) => {
    const experiment = skillTreeAt(50);
    const { bucketry } = skillTreeProxy(experiment);
    const user = unitWithVariant(experiment, 'tree');
    const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': user, cookie: `exp_skill_tree_layout=${value}` } }));
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('tree');
  });

  describe('QA overrides', () => {
    const experiment = skillTreeAt(10);
    const user = unitWithVariant(experiment, 'tree');
    const forced = (options: Parameters<typeof skillTreeProxy>[1], path = '/skills?bucketry_override=skill_tree_layout:list', headers = {}) => {
      const proxy = skillTreeProxy(experiment, options);
      return { ...proxy, response: proxy.bucketry.proxy(nextRequest(path, { headers: { 'x-user-id': user, ...headers } })) };
    };

    it('are off by default', () => {
      const { response, sink } = forced({}, '/skills?bucketry_override=skill_tree_layout:list', { 'x-bucketry-override': 'skill_tree_layout:list' });
      expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
      expect(sink.events.map((e) => e.reason)).toEqual(['bucketed']);
    });

    it('when enabled, force a known variant for the request, forwarded to the page as an override, never exposed', () => {
      const { response, sink, bucketry } = forced({ qaOverrides: { enabled: true } });
      expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
      expect(bucketry.fromHeaders(forwardedHeaders(response)).assignment('skill_tree_layout')).toMatchObject({ variant: 'list', reason: 'override', bucket: -1 });
      expect(sink.events).toEqual([]);
    });

    it('when enabled, read the header and ask allow with the NextRequest', () => {
      const staffOnly = { qaOverrides: { enabled: true, allow: (request: { headers: Headers }) => request.headers.get('x-staff') === 'yes' } };
      const header = { 'x-bucketry-override': 'skill_tree_layout:list' };
      expect(forced(staffOnly, '/skills', header).response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
      expect(forced(staffOnly, '/skills', { ...header, 'x-staff': 'yes' }).response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    });

    it('never win over the kill switch', () => {
      const off = skillTreeProxy(skillTreeAt(0), { qaOverrides: { enabled: true } });
      const response = off.bucketry.proxy(nextRequest('/skills?bucketry_override=skill_tree_layout:list', { headers: { 'x-user-id': user } }));
      expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
      expect(off.sink.events).toEqual([]);
    });
  });

  it('assigns exactly as core does', () => {
    const experiment = skillTreeAt(30);
    const { bucketry } = skillTreeProxy(experiment);
    for (let i = 0; i < 200; i++) {
      const response = bucketry.proxy(nextRequest('/skills', { headers: { 'x-user-id': `user-${i}` } }));
      expect(response.headers.get('x-experiment-skill-tree-layout')).toBe(assignVariant(experiment, `user-${i}`).variant);
    }
  });
});
