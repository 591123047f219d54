import { staffTokenMatches } from '@bucketry/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { EXPRESS_VERSIONS } from './test-support/express-versions.js';
import type { TestServer } from './test-support/listen.js';
import { testServers, skillTreeAt } from './test-support/skill-tree-app.js';

// The reader's parsing and validation are tested in @bucketry/http; here, overrides over HTTP.
const skillTree = skillTreeAt(10);
describe.each(EXPRESS_VERSIONS)('QA overrides over HTTP on $name', ({ createApp }) => {
  const { serve } = testServers(createApp);
  const treeUser = unitWithVariant(skillTree, 'tree');
  const url = (server: TestServer) => `${server.url}/api/v1/skills/tree?bucketry_override=skill_tree_layout:list`;

  it('are ignored by default', async () => {
    const server = await serve(skillTree);
    const response = await fetch(url(server), { headers: { 'x-user-id': treeUser, 'x-bucketry-override': 'skill_tree_layout:list' } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(server.sink.events.map((e) => e.reason)).toEqual(['bucketed']);
  });

  it('when enabled, force a known variant and set the cookie to it, never exposed', async () => {
    const server = await serve(skillTree, { qaOverrides: { enabled: true } });
    const response = await fetch(url(server), { headers: { 'x-user-id': treeUser } });
    expect(await response.json()).toEqual({ layout: 'list' });
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('list');
    expect(server.sink.events).toEqual([]);
    expect(server.errors).toEqual([]);
  });

  it('when enabled, work from the header too', async () => {
    const server = await serve(skillTree, { qaOverrides: { enabled: true } });
    const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': treeUser, 'x-bucketry-override': 'skill_tree_layout:list' } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
  });

  it('when enabled, ignore an unknown variant and assign as usual', async () => {
    const server = await serve(skillTree, { qaOverrides: { enabled: true } });
    const response = await fetch(`${server.url}/api/v1/skills/tree?bucketry_override=skill_tree_layout:grid`, { headers: { 'x-user-id': treeUser } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(server.sink.events.map((e) => e.reason)).toEqual(['bucketed']);
  });

  it.each([
    ['rollout 0', skillTreeAt(0)],
    ['enabled: false', skillTreeAt(100, { enabled: false })],
  ])('never win over the kill switch (%s), and the next request without one re-evaluates', async (_name, experiment) => {
    const server = await serve(experiment, { qaOverrides: { enabled: true } });
    const response = await fetch(url(server), { headers: { 'x-user-id': treeUser, cookie: 'exp_skill_tree_layout=list' } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('tree');
    expect(server.sink.events).toEqual([]);
  });

  it('expose only the bucketed variant: a forced one never reaches the sink, before or after it, on the same unit', async () => {
    const listUser = unitWithVariant(skillTree, 'list');
    const plain = (server: TestServer) => `${server.url}/api/v1/skills/tree`;
    for (const order of [[url, plain], [plain, url]]) {
      const server = await serve(skillTree, { qaOverrides: { enabled: true } });
      for (const request of [...order, ...order]) {
        const response = await fetch(request(server), { headers: { 'x-user-id': listUser } });
        expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('list');
      }
      expect(server.sink.events.map((e) => [e.unit, e.variant, e.reason])).toEqual([[listUser, 'list', 'bucketed']]);
      expect(server.errors).toEqual([]);
    }
  });

  it('hold for that request only: without the parameter, the QA cookie is rewritten to the real variant', async () => {
    const server = await serve(skillTree, { qaOverrides: { enabled: true } });
    const forced = await fetch(url(server), { headers: { 'x-user-id': treeUser } });
    expect(forced.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    const next = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': treeUser, cookie: 'exp_skill_tree_layout=list' } });
    expect(next.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(next).get('exp_skill_tree_layout'))).toBe('tree');
  });

  describe("the README's staff-token gate", () => {
    afterEach(() => vi.unstubAllEnvs());
    const gated = () =>
      serve(skillTree, { qaOverrides: { enabled: true, allow: (req) => staffTokenMatches(req.get('x-staff-token'), process.env.STAFF_TOKEN) } });
    const layoutWith = async (server: TestServer, headers: Record<string, string>) =>
      (await fetch(url(server), { headers: { 'x-user-id': treeUser, ...headers } })).headers.get('x-experiment-skill-tree-layout');

    it('refuses every override while STAFF_TOKEN is unset or empty, whatever the request sends', async () => {
      for (const configured of [undefined, '']) {
        vi.stubEnv('STAFF_TOKEN', configured);
        const server = await gated();
        expect(await layoutWith(server, {})).toBe('tree');
        expect(await layoutWith(server, { 'x-staff-token': '' })).toBe('tree');
        expect(await layoutWith(server, { 'x-staff-token': 'undefined' })).toBe('tree');
      }
    });

    it('lets the configured token force a variant, and no other', async () => {
      vi.stubEnv('STAFF_TOKEN', 'staff-token-of-32-characters-xyz');
      const server = await gated();
      expect(await layoutWith(server, { 'x-staff-token': 'staff-token-of-32-characters-xyz' })).toBe('list');
      for (const wrong of ['staff-token-of-32-characters-xy', 'staff-token-of-32-characters-xyz0', 'STAFF-TOKEN-OF-32-CHARACTERS-XYZ']) {
        expect(await layoutWith(server, { 'x-staff-token': wrong }), wrong).toBe('tree');
      }
    });
  });
});
