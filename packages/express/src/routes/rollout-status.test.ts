import { afterEach, describe, expect, it } from 'vitest';
import { EXPRESS_VERSIONS } from '../test-support/express-versions.js';
import { listen, type TestServer } from '../test-support/listen.js';
import { skillTreeAt } from '../test-support/skill-tree-app.js';
import { rolloutStatus, rolloutStatusRoute } from './rollout-status.js';

describe('rolloutStatus', () => {
  it.each([
    [skillTreeAt(5), { enabled: true, percentage: 5 }],
    [skillTreeAt(12.5), { enabled: true, percentage: 12.5 }],
    [skillTreeAt(100), { enabled: true, percentage: 100 }],
    [skillTreeAt(0), { enabled: false, percentage: 0 }],
    [skillTreeAt(50, { enabled: false }), { enabled: false, percentage: 0 }],
  ])('reports %o as %j', (experiment, expected) => {
    expect(rolloutStatus(experiment)).toEqual(expected);
  });

  it('rejects what is not an experiment', () => {
    expect(() => rolloutStatusRoute('skill_tree_layout' as never)).toThrow('experiment must be an experiment');
  });
});

describe.each(EXPRESS_VERSIONS)('rolloutStatusRoute on $name', ({ createApp }) => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  it('answers the runbook’s JSON, exactly, uncached', async () => {
    const app = createApp();
    app.get('/api/feature-flags/skill_tree_layout', rolloutStatusRoute(skillTreeAt(5)));
    server = await listen(app);
    const response = await fetch(`${server.url}/api/feature-flags/skill_tree_layout`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('{"enabled":true,"percentage":5}');
  });

  it('reads a changing configuration through a function, and answers 503 when it throws', async () => {
    let current = skillTreeAt(10);
    let broken = false;
    const app = createApp();
    app.get(
      '/status',
      rolloutStatusRoute(() => {
        if (broken) throw new Error('config store down');
        return current;
      }),
    );
    server = await listen(app);
    expect(await (await fetch(`${server.url}/status`)).text()).toBe('{"enabled":true,"percentage":10}');
    current = skillTreeAt(0);
    expect(await (await fetch(`${server.url}/status`)).text()).toBe('{"enabled":false,"percentage":0}');
    broken = true;
    const response = await fetch(`${server.url}/status`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'rollout status unavailable' });
  });
});
