import { assignVariant, createMemorySink, defineExperiment, unitKey } from '@bucketry/core';
import { describe, expect, it } from 'vitest';
import { createExperimentMiddleware } from './middleware.js';
import { CookieJar, cookieValue, setCookies } from '../../../test-support/cookie-jar.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { EXPRESS_VERSIONS } from './test-support/express-versions.js';
import { testServers, skillTreeAt } from './test-support/skill-tree-app.js';
import { isAnonymousId } from '@bucketry/http';

const HEADER = 'x-experiment-skill-tree-layout';
const COOKIE = 'exp_skill_tree_layout';

/** The first `count` users whose variant at this rollout is `variant`. */
const usersWith = (rollout: number, variant: 'tree' | 'list', count: number): string[] =>
  Array.from({ length: count }, (_, skip) => unitWithVariant(skillTreeAt(rollout), variant, { skip }));

const LIST_AT_10 = unitWithVariant(skillTreeAt(10), 'list');
const TREE_AT_10 = unitWithVariant(skillTreeAt(10), 'tree');

describe.each(EXPRESS_VERSIONS)('experiment middleware on $name', ({ createApp }) => {
  const { serve, listen } = testServers(createApp);

  it('sets the header and the cookie to the variant the engine assigns, for tree and list users alike', async () => {
    const server = await serve(skillTreeAt(50));
    const users = [...usersWith(50, 'tree', 5), ...usersWith(50, 'list', 5)];
    for (const user of users) {
      const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': user } });
      const expected = assignVariant(skillTreeAt(50), user).variant;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ layout: expected });
      expect(response.headers.get(HEADER)).toBe(expected);
      expect(setCookies(response).get(COOKIE)).toBe(`${COOKIE}=${expected}; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`);
    }
    expect(server.errors).toEqual([]);
  });

  it('writes one exposure per unit and variant, with the assignment’s details', async () => {
    const server = await serve(skillTreeAt(10));
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': LIST_AT_10 } });
    await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': TREE_AT_10 } });
    expect(server.sink.events).toHaveLength(2);
    expect(server.sink.events[0]).toMatchObject({
      event: 'experiment_exposure',
      experiment: 'skill_tree_layout',
      variant: 'list',
      unit: LIST_AT_10,
      reason: 'bucketed',
      configVersion: skillTreeAt(10).version,
    });
    expect(server.sink.events[0]!.bucket).toBe(assignVariant(skillTreeAt(10), LIST_AT_10).bucket);
    expect(server.sink.events[1]).toMatchObject({ variant: 'tree', unit: TREE_AT_10 });
  });

  it('neither assigns nor exposes an experiment no handler reads, and issues no cookie for it', async () => {
    const server = await serve(skillTreeAt(100));
    const response = await fetch(`${server.url}/untouched`, { headers: { 'x-user-id': LIST_AT_10 } });
    expect(response.status).toBe(200);
    expect(response.headers.get(HEADER)).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    const anonymous = await fetch(`${server.url}/untouched`);
    expect(anonymous.headers.getSetCookie()).toEqual([]);
    expect(server.sink.events).toEqual([]);
  });

  it('peeks without exposing and without the experiment’s header or cookie', async () => {
    const server = await serve(skillTreeAt(100));
    const response = await fetch(`${server.url}/peek`, { headers: { 'x-user-id': 'user-1' } });
    expect(await response.json()).toEqual({ layout: 'list', unit: { kind: 'user', id: 'user-1' } });
    expect(response.headers.get(HEADER)).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(server.sink.events).toEqual([]);
  });

  it('issues an anonymous id to a visitor, keeps it, and exposes that id once', async () => {
    const server = await serve(skillTreeAt(50));
    const jar = new CookieJar();
    const first = await fetch(`${server.url}/api/v1/skills/tree`);
    jar.take(first);
    const id = jar.get('bucketry_uid')!;
    expect(isAnonymousId(id)).toBe(true);
    expect(setCookies(first).get('bucketry_uid')).toBe(`bucketry_uid=${id}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly`);
    const expected = assignVariant(skillTreeAt(50), id).variant;
    expect(first.headers.get(HEADER)).toBe(expected);

    const second = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { cookie: jar.header() } });
    expect(second.headers.get(HEADER)).toBe(expected);
    // Nothing to rewrite: the id is ours and the variant cookie already matches.
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(server.sink.events.map((e) => [e.unit, e.variant])).toEqual([[id, expected]]);
  });

  it('replaces a tampered anonymous id with a fresh one rather than hashing it', async () => {
    const server = await serve(skillTreeAt(50));
    const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { cookie: 'bucketry_uid=admin' } });
    const issued = cookieValue(setCookies(response).get('bucketry_uid'));
    expect(isAnonymousId(issued)).toBe(true);
    expect(server.sink.events.map((e) => e.unit)).toEqual([issued]);
  });

  it('uses the signed-in user over an anonymous cookie, and issues no anonymous id to them', async () => {
    const server = await serve(skillTreeAt(50));
    const response = await fetch(`${server.url}/peek`, {
      headers: { 'x-user-id': 'user-7', cookie: 'bucketry_uid=1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' },
    });
    expect((await response.json()).unit).toEqual({ kind: 'user', id: 'user-7' });
    expect(setCookies(response).has('bucketry_uid')).toBe(false);
  });

  it('gives visitors control without an id when anonymous ids are off, and exposes nothing', async () => {
    const server = await serve(skillTreeAt(100), { anonymousId: false });
    const response = await fetch(`${server.url}/api/v1/skills/tree`);
    expect(response.headers.get(HEADER)).toBe('tree');
    expect([...setCookies(response).keys()]).toEqual([COOKIE]);
    expect(server.sink.events).toEqual([]);
  });

  describe('the variant cookie is never input', () => {
    it('at rollout 0 gives a list cookie control and rewrites it, exposing nothing', async () => {
      const server = await serve(skillTreeAt(0));
      const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': LIST_AT_10, cookie: `${COOKIE}=list` } });
      expect(await response.json()).toEqual({ layout: 'tree' });
      expect(response.headers.get(HEADER)).toBe('tree');
      expect(cookieValue(setCookies(response).get(COOKIE))).toBe('tree');
      expect(server.sink.events).toEqual([]);
    });

    it('with enabled: false gives a list cookie control and rewrites it, even at rollout 100', async () => {
      const server = await serve(skillTreeAt(100, { enabled: false }));
      const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': 'anyone', cookie: `${COOKIE}=list` } });
      expect(response.headers.get(HEADER)).toBe('tree');
      expect(cookieValue(setCookies(response).get(COOKIE))).toBe('tree');
    });

    it.each(['list', 'hacker', '', 'tree%0d%0aX-Injected:%201', '"list"x'])('ignores and replaces a cookie of %j for a tree user', async (value) => {
      const server = await serve(skillTreeAt(10));
      const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': TREE_AT_10, cookie: `${COOKIE}=${value}` } });
      expect(response.headers.get(HEADER)).toBe('tree');
      expect(setCookies(response).get(COOKIE)).toBe(`${COOKIE}=tree; Path=/; Max-Age=2592000; SameSite=Lax; HttpOnly`);
      expect(response.headers.get('x-injected')).toBeNull();
    });

    it('re-evaluates once the cookie is cleared: the same unit gets the current assignment and a fresh cookie', async () => {
      const killed = await serve(skillTreeAt(0));
      const jar = new CookieJar();
      jar.take(await fetch(`${killed.url}/api/v1/skills/tree`));
      expect(jar.get(COOKIE)).toBe('tree');
      // The id is kept, only the QA-style variant cookie is cleared; rollout goes back up.
      const live = await serve(skillTreeAt(100));
      jar.delete(COOKIE);
      const response = await fetch(`${live.url}/api/v1/skills/tree`, { headers: { cookie: jar.header() } });
      expect(response.headers.get(HEADER)).toBe('list');
      expect(cookieValue(setCookies(response).get(COOKIE))).toBe('list');
      expect(live.sink.events.map((e) => [e.unit, e.variant])).toEqual([[jar.get('bucketry_uid'), 'list']]);
    });
  });

  it('moves no visitor from list back to tree as the rollout ramps 10 → 50 → 100', async () => {
    const stages = [await serve(skillTreeAt(10)), await serve(skillTreeAt(50)), await serve(skillTreeAt(100))];
    const visitors = Array.from({ length: 150 }, () => new CookieJar());
    const seen: string[][] = visitors.map(() => []);
    for (const stage of stages) {
      for (const [i, jar] of visitors.entries()) {
        const response = await fetch(`${stage.url}/api/v1/skills/tree`, { headers: { cookie: jar.header() } });
        jar.take(response);
        seen[i]!.push(response.headers.get(HEADER)!);
      }
    }
    const listAt10 = seen.filter((s) => s[0] === 'list').length;
    const listAt50 = seen.filter((s) => s[1] === 'list').length;
    expect(listAt10).toBeGreaterThan(0);
    expect(listAt50).toBeGreaterThan(listAt10);
    expect(seen.every((s) => s[2] === 'list')).toBe(true);
    for (const s of seen) {
      if (s[0] === 'list') expect(s[1]).toBe('list');
    }
  });

  describe('cookie attributes', () => {
    it('adds Secure to every cookie behind an HTTPS proxy (trust proxy), not over plain HTTP', async () => {
      const server = await serve(skillTreeAt(50), {}, (app) => app.set('trust proxy', 'loopback'));
      const https = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-forwarded-proto': 'https' } });
      const lines = https.headers.getSetCookie();
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toMatch(/; SameSite=Lax; Secure; HttpOnly$/);
      const http = await fetch(`${server.url}/api/v1/skills/tree`);
      expect(http.headers.getSetCookie()).toHaveLength(2);
      for (const line of http.headers.getSetCookie()) expect(line).not.toContain('Secure');
    });

    it('takes Max-Age, HttpOnly, Domain, Secure and the anonymous cookie’s name from the options', async () => {
      const server = await serve(skillTreeAt(100), {
        cookies: { maxAge: 600, httpOnly: false, domain: 'example.com', secure: true },
        anonymousId: { cookie: 'uid', maxAge: 3600 },
      });
      const cookies = setCookies(await fetch(`${server.url}/api/v1/skills/tree`));
      expect(cookies.get(COOKIE)).toBe(`${COOKIE}=list; Path=/; Max-Age=600; Domain=example.com; SameSite=Lax; Secure`);
      expect(cookies.get('uid')).toMatch(/^uid=[0-9a-f-]{36}; Path=\/; Max-Age=3600; Domain=example\.com; SameSite=Lax; Secure; HttpOnly$/);
    });
  });

  it('writes headers only from configured names, whatever the request sends', async () => {
    const server = await serve(skillTreeAt(50), { qaOverrides: { enabled: true } });
    const response = await fetch(
      `${server.url}/api/v1/skills/tree?bucketry_override=${encodeURIComponent('x\r\nX-Injected: 1:list')}&skill_tree_layout=list`,
      { headers: { 'x-user-id': 'user-1', 'x-bucketry-override': 'X-Injected:1', 'x-experiment-other': 'a' } },
    );
    expect(response.status).toBe(200);
    const experimentHeaders: string[] = [];
    response.headers.forEach((_value, name) => {
      if (name.startsWith('x-')) experimentHeaders.push(name);
    });
    expect(experimentHeaders).toEqual([HEADER, 'x-powered-by']);
  });

  it('passes a compound user unit through to the engine', async () => {
    const memory = createMemorySink();
    const experiment = skillTreeAt(50);
    const experiments = createExperimentMiddleware({
      experiments: [experiment],
      sink: memory,
      user: (req) => ({ tenantId: req.get('x-tenant') ?? '', userId: req.get('x-user-id') ?? '' }),
      onError: () => {},
    });
    const app = createApp();
    app.get('/', experiments('skill_tree_layout'), (_req, res) => {
      res.send(res.locals.experiments.variant('skill_tree_layout'));
    });
    const server = await listen(app);
    const response = await fetch(server.url, { headers: { 'x-tenant': 'acme', 'x-user-id': '42' } });
    expect(await response.text()).toBe(assignVariant(experiment, { tenantId: 'acme', userId: '42' }).variant);
    expect(memory.events[0]!.unit).toBe(unitKey({ tenantId: 'acme', userId: '42' }));
  });

  it('keeps the cookies the app sets before and after it, next to its own', async () => {
    const experiments = createExperimentMiddleware({ experiments: [skillTreeAt(100)], sink: createMemorySink() });
    const app = createApp();
    app.use((_req, res, next) => {
      res.cookie('session', 's1');
      next();
    });
    app.get('/', experiments('skill_tree_layout'), (_req, res) => {
      const layout = res.locals.experiments.variant('skill_tree_layout');
      res.cookie('seen', layout);
      res.send(layout);
    });
    const server = await listen(app);
    const response = await fetch(server.url);
    const cookies = setCookies(response);
    expect([...cookies.keys()].sort()).toEqual(['bucketry_uid', COOKIE, 'seen', 'session'].sort());
    expect(cookies.get('session')).toMatch(/^session=s1;/);
    expect(cookies.get('seen')).toMatch(/^seen=list;/);
    expect(cookieValue(cookies.get(COOKIE)!)).toBe('list');
  });

  it('adds up the experiments of app.use and the route, and keeps one object per request', async () => {
    const a = defineExperiment({ key: 'a', variants: ['a0', 'a1'], rollout: 100 });
    const b = defineExperiment({ key: 'b', variants: ['b0', 'b1'], rollout: 0 });
    const experiments = createExperimentMiddleware({ experiments: [a, b], sink: createMemorySink(), requestKey: 'experiments', onError: () => {} });
    const app = createApp();
    app.use(experiments('a'));
    app.get('/', experiments('b'), (req, res) => {
      const same = (req as unknown as { experiments: unknown }).experiments === res.locals.experiments;
      res.json({ keys: res.locals.experiments.keys, variants: res.locals.experiments.variants(), same, locals: JSON.parse(JSON.stringify(res.locals)) });
    });
    const server = await listen(app);
    const response = await fetch(server.url, { headers: { cookie: 'bucketry_uid=1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' } });
    expect(await response.json()).toEqual({
      keys: ['a', 'b'],
      variants: { a: 'a1', b: 'b0' },
      same: true,
      // Serializing locals shows what was shown, never the request.
      locals: { experiments: { a: 'a1', b: 'b0' } },
    });
    expect(response.headers.get('x-experiment-a')).toBe('a1');
    expect(response.headers.get('x-experiment-b')).toBe('b0');
  });

  it('finds the experiments with from(res), and says so when the middleware did not run', async () => {
    const experiments = createExperimentMiddleware({ experiments: [skillTreeAt(100)], onError: () => {} });
    const app = createApp();
    app.get('/with', experiments('skill_tree_layout'), (_req, res) => {
      res.send(experiments.from(res).variant('skill_tree_layout'));
    });
    app.get('/without', (_req, res) => {
      try {
        experiments.from(res);
        res.send('no error');
      } catch (error) {
        res.send((error as Error).message);
      }
    });
    const server = await listen(app);
    expect(await (await fetch(`${server.url}/with`)).text()).toBe('list');
    expect(await (await fetch(`${server.url}/without`)).text()).toBe(
      '@bucketry/express: no experiments on res.locals.experiments; add the middleware to this route',
    );
  });
});
