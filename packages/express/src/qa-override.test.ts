import { assignVariant, defineExperiment } from '@bucketry/core';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { createQaOverrideReader } from './qa-override.js';
import { cookieValue, setCookies } from './test-support/cookie-jar.js';
import { EXPRESS_VERSIONS } from './test-support/express-versions.js';
import type { TestServer } from './test-support/listen.js';
import { testServers, skillTreeAt } from './test-support/skill-tree-app.js';

const skillTree = skillTreeAt(10);
const other = defineExperiment({ key: 'other', variants: ['a', 'b', 'c'] });
const request = (url: string, headers: Record<string, string | string[]> = {}) => ({ url, originalUrl: url, headers }) as unknown as Request;

describe('createQaOverrideReader', () => {
  it('is off unless enabled', () => {
    expect(createQaOverrideReader(undefined, [skillTree])).toBeUndefined();
    expect(createQaOverrideReader({}, [skillTree])).toBeUndefined();
    expect(createQaOverrideReader({ enabled: false }, [skillTree])).toBeUndefined();
    expect(createQaOverrideReader({ enabled: true, query: false, header: false }, [skillTree])).toBeUndefined();
  });

  it('reads key:variant pairs from the query parameter and the header, several at once', () => {
    const read = createQaOverrideReader({ enabled: true }, [skillTree, other])!;
    expect(read(request('/x?bucketry_override=skill_tree_layout:list'))).toEqual(new Map([['skill_tree_layout', 'list']]));
    expect(read(request('/x', { 'x-bucketry-override': 'skill_tree_layout:list, other:c' }))).toEqual(
      new Map([
        ['skill_tree_layout', 'list'],
        ['other', 'c'],
      ]),
    );
    expect(read(request('/x?bucketry_override=other:a&bucketry_override=other:b'))!.get('other')).toBe('b');
  });

  it('lets the query win over the header for the same experiment', () => {
    const read = createQaOverrideReader({ enabled: true }, [other])!;
    expect(read(request('/x?bucketry_override=other:c', { 'x-bucketry-override': 'other:b' }))!.get('other')).toBe('c');
  });

  it('accepts only known experiments and known variants', () => {
    const read = createQaOverrideReader({ enabled: true }, [skillTree])!;
    for (const value of ['skill_tree_layout:grid', 'skill_tree_layout:LIST', 'nope:list', 'skill_tree_layout', ':list', 'skill_tree_layout=list', '__proto__:list', 'constructor:tree']) {
      expect(read(request(`/x?bucketry_override=${encodeURIComponent(value)}`)), value).toBeUndefined();
    }
  });

  it('uses the configured names, and only those', () => {
    const read = createQaOverrideReader({ enabled: true, query: 'qa', header: 'x-qa' }, [skillTree])!;
    expect(read(request('/x?bucketry_override=skill_tree_layout:list', { 'x-bucketry-override': 'skill_tree_layout:list' }))).toBeUndefined();
    expect(read(request('/x?qa=skill_tree_layout:list'))!.get('skill_tree_layout')).toBe('list');
    expect(read(request('/x', { 'x-qa': 'skill_tree_layout:list' }))!.get('skill_tree_layout')).toBe('list');
  });

  it('asks allow, and treats a throw as no', () => {
    const url = '/x?bucketry_override=skill_tree_layout:list';
    expect(createQaOverrideReader({ enabled: true, allow: () => false }, [skillTree])!(request(url))).toBeUndefined();
    const throwing = () => {
      throw new Error('no');
    };
    expect(createQaOverrideReader({ enabled: true, allow: throwing }, [skillTree])!(request(url))).toBeUndefined();
    expect(createQaOverrideReader({ enabled: true, allow: () => true }, [skillTree])!(request(url))!.size).toBe(1);
  });

  it('reads at most 32 pairs however many are sent', () => {
    const read = createQaOverrideReader({ enabled: true }, [skillTree])!;
    const junk = Array.from({ length: 40 }, () => 'x:y').join(',');
    expect(read(request(`/x?bucketry_override=${junk},skill_tree_layout:list`))).toBeUndefined();
  });

  it.each([
    [{ enabled: true, query: 'a b' }, 'qaOverrides.query must be 1-64 characters'],
    [{ enabled: true, header: 'x-qa:' }, 'qaOverrides.header'],
    [{ enabled: true, allow: 'staff' }, 'qaOverrides.allow must be a function, got "staff"'],
    ['on', 'qaOverrides must be an object, got "on"'],
  ])('rejects %j', (options, message) => {
    expect(() => createQaOverrideReader(options as never, [skillTree])).toThrow(message);
  });
});

describe.each(EXPRESS_VERSIONS)('QA overrides over HTTP on $name', ({ createApp }) => {
  const { serve } = testServers(createApp);
  let treeUser = '';
  for (let i = 0; !treeUser; i++) if (assignVariant(skillTree, `user-${i}`).variant === 'tree') treeUser = `user-${i}`;
  const url = (server: TestServer) => `${server.url}/api/v1/skills/tree?bucketry_override=skill_tree_layout:list`;

  it('are ignored by default', async () => {
    const server = await serve(skillTree);
    const response = await fetch(url(server), { headers: { 'x-user-id': treeUser, 'x-bucketry-override': 'skill_tree_layout:list' } });
    expect(response.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(server.sink.events.map((e) => e.reason)).toEqual(['bucketed']);
  });

  it('when enabled, force a known variant, set the cookie to it, and mark the exposure as an override', async () => {
    const server = await serve(skillTree, { qaOverrides: { enabled: true } });
    const response = await fetch(url(server), { headers: { 'x-user-id': treeUser } });
    expect(await response.json()).toEqual({ layout: 'list' });
    expect(cookieValue(setCookies(response).get('exp_skill_tree_layout'))).toBe('list');
    expect(server.sink.events).toHaveLength(1);
    expect(server.sink.events[0]).toMatchObject({ variant: 'list', unit: treeUser, reason: 'override', bucket: -1 });
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

  it('hold for that request only: without the parameter, the QA cookie is rewritten to the real variant', async () => {
    const server = await serve(skillTree, { qaOverrides: { enabled: true } });
    const forced = await fetch(url(server), { headers: { 'x-user-id': treeUser } });
    expect(forced.headers.get('x-experiment-skill-tree-layout')).toBe('list');
    const next = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': treeUser, cookie: 'exp_skill_tree_layout=list' } });
    expect(next.headers.get('x-experiment-skill-tree-layout')).toBe('tree');
    expect(cookieValue(setCookies(next).get('exp_skill_tree_layout'))).toBe('tree');
  });
});
