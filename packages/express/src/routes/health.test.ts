import { afterEach, describe, expect, it } from 'vitest';
import { EXPRESS_VERSIONS } from '../test-support/express-versions.js';
import { listen, type TestServer } from '../test-support/listen.js';
import { healthRoute } from './health.js';

describe.each(EXPRESS_VERSIONS)('healthRoute on $name', ({ createApp }) => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  it('answers 200 {"status":"ok"}, uncached', async () => {
    const app = createApp();
    app.get('/api/healthz', healthRoute());
    server = await listen(app);
    const response = await fetch(`${server.url}/api/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  it('adds details, and answers 503 when they cannot be read', async () => {
    let fail = false;
    const app = createApp();
    app.get(
      '/h',
      healthRoute({
        details: () => {
          if (fail) throw new Error('stats broken');
          return { exposures: { queued: 3 } };
        },
      }),
    );
    server = await listen(app);
    expect(await (await fetch(`${server.url}/h`)).json()).toEqual({ status: 'ok', exposures: { queued: 3 } });
    fail = true;
    const response = await fetch(`${server.url}/h`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'error' });
  });
});

describe('healthRoute options', () => {
  it('rejects details that are not a function', () => {
    expect(() => healthRoute({ details: { a: 1 } as never })).toThrow('details must be a function, got an object');
  });
});
