import { createBucketry, defineExperiment, type BucketryErrorContext, type ExposureSink } from '@bucketry/core';
import { describe, expect, it, vi } from 'vitest';
import { createExperimentMiddleware } from './middleware.js';
import { EXPRESS_VERSIONS } from './test-support/express-versions.js';
import { testServers, skillTreeAt } from './test-support/skill-tree-app.js';

const HEADER = 'x-experiment-skill-tree-layout';

const throwing: ExposureSink = {
  write() {
    throw new Error('sink down');
  },
};
const rejecting: ExposureSink = { write: () => Promise.reject(new Error('sink rejected')) };
const hanging: ExposureSink = { write: () => new Promise<void>(() => {}) };

describe.each(EXPRESS_VERSIONS)('failures on $name', ({ createApp }) => {
  const { serve, listen } = testServers(createApp);

  describe.each([
    ['throws', throwing, 'sink down'],
    ['rejects', rejecting, 'sink rejected'],
  ] as const)('a sink that %s', (_name, sink, message) => {
    it('leaves every response a 200 with the right variant, and reports each failure', async () => {
      const server = await serve(skillTreeAt(100), { sink });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': `user-${i}` } })),
      );
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ layout: 'list' });
      }
      await vi.waitFor(() => expect(server.errors).toHaveLength(20));
      for (const { error, context } of server.errors) {
        expect((error as Error).message).toBe(message);
        expect(context).toMatchObject({ source: 'sink', experiment: 'skill_tree_layout' });
      }
    });
  });

  it('answers every request while the sink never settles', async () => {
    let writes = 0;
    const server = await serve(skillTreeAt(100), { sink: { write: (event) => (writes++, hanging.write(event)) } });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': `user-${i}` } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    // Every request reached the sink, and none waited for it.
    expect(writes).toBe(20);
    expect(server.errors).toEqual([]);
  });

  it('gives control and reports when finding the user throws, exposing nothing', async () => {
    const server = await serve(skillTreeAt(100), {
      user: () => {
        throw new Error('session store down');
      },
    });
    const response = await fetch(`${server.url}/api/v1/skills/tree`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ layout: 'tree' });
    expect(response.headers.get(HEADER)).toBe('tree');
    expect(server.errors.map((e) => [e.context.source, (e.error as Error).message])).toEqual([['unit', 'session store down']]);
    expect(server.sink.events).toEqual([]);
  });

  it('reports a user function that returns something that is not a unit, and gives control', async () => {
    const server = await serve(skillTreeAt(100), { user: () => ({ tenantId: 'acme', userId: '' }) });
    const response = await fetch(`${server.url}/api/v1/skills/tree`);
    expect(await response.json()).toEqual({ layout: 'tree' });
    expect(server.errors).toHaveLength(1);
    expect(server.errors[0]!.context.source).toBe('unit');
    expect(String(server.errors[0]!.error)).toContain('user(req) must return a non-empty string');
  });

  it('gives control and reports where to look the user up for a user function that returns a promise, whose rejection stays handled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const server = await serve(skillTreeAt(100), {
        // An async session lookup that fails after the response has gone.
        user: (async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw new Error('session store down');
        }) as never,
      });
      const response = await fetch(`${server.url}/api/v1/skills/tree`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ layout: 'tree' });
      expect(response.headers.get(HEADER)).toBe('tree');
      expect(server.errors).toEqual([
        {
          error: new TypeError(
            '@bucketry/express: user(req) returned a Promise; it must return the user synchronously. Look the user up in an earlier middleware (for example set req.user) and return it here',
          ),
          context: { source: 'unit' },
        },
      ]);
      expect(server.sink.events).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('gives control and reports where to look them up for an attributes function that returns a promise', async () => {
    const server = await serve(skillTreeAt(100), { attributes: (async () => ({ plan: 'pro' })) as never });
    const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': 'user-1' } });
    expect(await response.json()).toEqual({ layout: 'tree' });
    expect(server.errors.map((e) => [e.context.source, (e.error as Error).message])).toEqual([
      [
        'attributes',
        '@bucketry/express: attributes(req) returned a Promise; it must return the attributes synchronously. Look them up in an earlier middleware (for example set res.locals.account) and return them here',
      ],
    ]);
  });

  it('gives control and reports when reading the attributes throws', async () => {
    const server = await serve(skillTreeAt(100), {
      attributes: () => {
        throw new Error('geo lookup failed');
      },
    });
    const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': 'user-1' } });
    expect(await response.json()).toEqual({ layout: 'tree' });
    expect(server.errors.map((e) => e.context.source)).toEqual(['attributes']);
    expect(server.sink.events).toEqual([]);
  });

  it('gives control and reports when an eligibility predicate throws', async () => {
    const experiment = skillTreeAt(100, {
      eligibility: () => {
        throw new Error('predicate bug');
      },
    });
    const server = await serve(experiment);
    const response = await fetch(`${server.url}/api/v1/skills/tree`, { headers: { 'x-user-id': 'user-1' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ layout: 'tree' });
    expect(server.errors.map((e) => [e.context.source, e.context.experiment])).toEqual([['assignment', 'skill_tree_layout']]);
  });

  it('survives an onError that throws', async () => {
    const reported: string[] = [];
    const server = await serve(skillTreeAt(100), {
      sink: throwing,
      user: () => {
        throw new Error('user lookup failed');
      },
      onError: (_error, context) => {
        reported.push(context.source);
        throw new Error('logger down');
      },
    });
    const response = await fetch(`${server.url}/api/v1/skills/tree`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ layout: 'tree' });
    // It was called, and threw, on this request.
    expect(reported).toEqual(['unit']);
  });

  it('reports, rather than throws, when a handler reads a variant after the response started', async () => {
    const errors: { error: unknown; source: string }[] = [];
    const experiments = createExperimentMiddleware({
      experiments: [skillTreeAt(100)],
      user: () => 'user-1',
      onError: (error, context) => errors.push({ error, source: context.source }),
    });
    const app = createApp();
    app.get('/stream', experiments('skill_tree_layout'), (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('layout=');
      res.end(res.locals.experiments.variant('skill_tree_layout'));
    });
    const server = await listen(app);
    const response = await fetch(`${server.url}/stream`);
    expect(await response.text()).toBe('layout=list');
    expect(response.headers.get(HEADER)).toBeNull();
    expect(errors.map((e) => e.source)).toEqual(['response']);
    expect(String(errors[0]!.error)).toContain('response already started; X-Experiment-Skill-Tree-Layout and exp_skill_tree_layout not set');
  });

  it('reports a requestKey that is already taken on req, and leaves it alone', async () => {
    const errors: string[] = [];
    const experiments = createExperimentMiddleware({
      experiments: [skillTreeAt(100)],
      requestKey: 'user',
      onError: (error) => errors.push(String(error)),
    });
    const app = createApp();
    app.use((req, _res, next) => {
      (req as unknown as { user: unknown }).user = { id: 'passport-user' };
      next();
    });
    app.get('/', experiments('skill_tree_layout'), (req, res) => {
      res.json({ user: (req as unknown as { user: unknown }).user, layout: res.locals.experiments.variant('skill_tree_layout') });
    });
    const server = await listen(app);
    expect(await (await fetch(server.url)).json()).toEqual({ user: { id: 'passport-user' }, layout: 'list' });
    expect(errors).toEqual(['Error: req.user is already taken; the experiments are on res.locals.experiments only']);
  });

  it('leaves sink errors to the onError of a client it was given', async () => {
    const clientErrors: BucketryErrorContext[] = [];
    const middlewareErrors: unknown[] = [];
    const client = createBucketry({
      experiments: [skillTreeAt(100)],
      sink: throwing,
      onError: (_error, context) => clientErrors.push(context),
    });
    const experiments = createExperimentMiddleware({ client, user: () => 'user-1', onError: (error) => middlewareErrors.push(error) });
    const app = createApp();
    app.get('/', experiments('skill_tree_layout'), (_req, res) => {
      res.send(res.locals.experiments.variant('skill_tree_layout'));
    });
    const server = await listen(app);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('list');
    expect(clientErrors.map((c) => c.source)).toEqual(['sink']);
    expect(middlewareErrors).toEqual([]);
  });
});

describe('options', () => {
  const experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'] });

  it('requires a client or experiments, not both', () => {
    expect(() => createExperimentMiddleware({})).toThrow('@bucketry/express: client or experiments must be given');
    const client = createBucketry({ experiments: [experiment] });
    expect(() => createExperimentMiddleware({ client, experiments: [experiment] })).toThrow('give either client or experiments');
    expect(() => createExperimentMiddleware({ client: {} as never })).toThrow('client must be a client from createBucketry, got an object');
  });

  it('passes core’s own configuration errors through', () => {
    expect(() => createExperimentMiddleware({ experiments: [{ key: 'Bad Key', variants: ['a', 'b'] }] })).toThrow('experiments[0].key');
  });

  it('refuses variants that cannot be sent as a header or cookie value, naming which', () => {
    expect(() => createExperimentMiddleware({ experiments: [{ key: 'k', variants: ['tree', 'two words'] }] })).toThrow(
      '@bucketry/express: experiments[0].variants[1] must be 1-128 characters of letters, digits',
    );
    expect(() => createExperimentMiddleware({ experiments: [{ key: 'k', variants: ['a;b', 'c'] }] })).toThrow('got "a;b"');
  });

  it.each([
    [{ localsKey: '__proto__' }, 'localsKey must be a JavaScript identifier'],
    [{ localsKey: 'a-b' }, 'got "a-b"'],
    [{ requestKey: 'constructor' }, 'requestKey must be a JavaScript identifier'],
    [{ user: 'x-user-id' }, 'user must be a function, got "x-user-id"'],
    [{ attributes: {} }, 'attributes must be a function, got an object'],
    [{ onError: true }, 'onError must be a function, got true'],
    [{ cookies: 'secure' }, 'cookies must be an object, got "secure"'],
    [{ cookies: { maxAge: 0 } }, 'cookies.maxAge must be a whole number of seconds'],
    [{ qaOverrides: { enabled: 'yes' } }, 'qaOverrides.enabled must be true or false'],
  ])('rejects %j', (options, message) => {
    expect(() => createExperimentMiddleware({ experiments: [experiment], ...(options as object) })).toThrow(message);
  });

  it('refuses an unknown experiment when a route names it, at start-up', () => {
    const experiments = createExperimentMiddleware({ experiments: [experiment] });
    expect(() => (experiments as (...keys: string[]) => unknown)('skill_tree_layout', 'nope')).toThrow(
      '@bucketry/express: keys[1] must name a known experiment (skill_tree_layout), got "nope"',
    );
  });

  it('closes the client’s sink', async () => {
    const close = vi.fn(async () => {});
    const experiments = createExperimentMiddleware({ experiments: [experiment], sink: { write() {}, close } });
    await experiments.close();
    expect(close).toHaveBeenCalledOnce();
  });
});
