import { afterEach, describe, expect, it } from 'vitest';
import { createRecentExposuresBuffer } from '../recent-exposures-buffer.js';
import { EXPRESS_VERSIONS } from '../test-support/express-versions.js';
import { listen, type TestServer } from '../test-support/listen.js';
import { recentExposuresRoute } from './recent-exposures.js';

const TOKEN = 'a-token-of-32-characters-exactly';
const auth = { authorization: `Bearer ${TOKEN}` };

describe.each(EXPRESS_VERSIONS)('recentExposuresRoute on $name', ({ createApp }) => {
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  const serve = async (options: Partial<Parameters<typeof recentExposuresRoute<number>>[0]>, capacity = 100) => {
    const buffer = createRecentExposuresBuffer<number>({ capacity });
    for (let n = 1; n <= 30; n++) buffer.record(n);
    const app = createApp();
    app.get('/api/events', recentExposuresRoute({ buffer, ...options }));
    app.use((_req, res) => {
      res.status(404).send('fallthrough 404');
    });
    server = await listen(app);
    return server;
  };

  it('is off by default: the request goes on to the app’s 404', async () => {
    const { url } = await serve({ token: TOKEN });
    const response = await fetch(`${url}/api/events`, { headers: auth });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('fallthrough 404');
  });

  it('when on, answers the newest events first, 20 by default and `limit` on request', async () => {
    const { url } = await serve({ enabled: true, token: TOKEN });
    const all = await fetch(`${url}/api/events`, { headers: auth });
    expect(all.status).toBe(200);
    expect(all.headers.get('cache-control')).toBe('no-store');
    expect((await all.json()).events).toEqual(Array.from({ length: 20 }, (_, i) => 30 - i));
    expect(await (await fetch(`${url}/api/events?limit=3`, { headers: auth })).json()).toEqual({ events: [30, 29, 28] });
  });

  it('caps `limit` at what the buffer holds', async () => {
    const { url } = await serve({ enabled: true, token: TOKEN }, 10);
    expect((await (await fetch(`${url}/api/events?limit=1000000`, { headers: auth })).json()).events).toHaveLength(10);
  });

  it.each(['0', '-1', 'abc', '1.5', '', '1e3', '9999999999'])('answers 400 for limit=%j', async (limit) => {
    const { url } = await serve({ enabled: true, token: TOKEN });
    const response = await fetch(`${url}/api/events?limit=${limit}`, { headers: auth });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'limit must be a whole number from 1' });
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-right-token-at-all' }],
    ['a token prefix', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['the token without Bearer', { authorization: TOKEN }],
    ['basic auth', { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
  ])('answers 401 with %s, and shows no events', async (_name, headers) => {
    const { url } = await serve({ enabled: true, token: TOKEN });
    const response = await fetch(`${url}/api/events?limit=5`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="bucketry"');
    expect(await response.json()).toEqual({ error: 'a valid bearer token is required' });
  });

  it('does not accept the token from the query string, where logs would keep it', async () => {
    const { url } = await serve({ enabled: true, token: TOKEN });
    expect((await fetch(`${url}/api/events?token=${TOKEN}`)).status).toBe(401);
  });
});

describe('recentExposuresRoute options', () => {
  const buffer = createRecentExposuresBuffer();

  it.each([
    [{ buffer, enabled: true }, 'token must be a string of at least 16 characters'],
    [{ buffer, enabled: true, token: 'short' }, 'got "a string of 5 characters"'],
    [{ buffer, enabled: true, token: ` ${TOKEN}` }, 'token must be a string of at least 16 characters without surrounding spaces'],
    [{ buffer, enabled: 'yes' }, 'enabled must be true or false'],
    [{ buffer: [] }, 'buffer must be a buffer from createRecentExposuresBuffer'],
    [{ buffer, defaultLimit: 0 }, 'defaultLimit must be a whole number >= 1'],
  ])('rejects %j', (options, message) => {
    expect(() => recentExposuresRoute(options as never)).toThrow(message);
  });

  it('never puts the token in an error message', () => {
    const secret = 'hunter2';
    let message = '';
    try {
      recentExposuresRoute({ buffer, enabled: true, token: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('got "a string of 7 characters"');
    expect(message).not.toContain(secret);
  });

  it('needs no token while off', () => {
    expect(() => recentExposuresRoute({ buffer })).not.toThrow();
  });
});
