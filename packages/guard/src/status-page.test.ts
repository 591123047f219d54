import { createFileStore, setRollout, type RolloutStore } from '@bucketry/live';
import express from 'express';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStatusHandler, createStatusServer, type StatusPageOptions } from './status-page.js';
import { createCsrf, CSRF_LIFETIME_MS } from './status-page-security.js';

// The status page over HTTP with a real file store: what it shows, and every way the kill switch
// refuses (each leaves the store as it was). The browser side is in status-page.browser.test.ts.
const EXPERIMENT = 'skill_tree_layout';
const TOKEN = 'operator-token-1234';

let dir: string;
let store: RolloutStore;
let closers: (() => Promise<void>)[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guard-status-'));
  store = createFileStore({ path: join(dir, 'rollouts.json') });
  closers = [];
  await setRollout(store, EXPERIMENT, { percent: 5, phase: 'canary', actor: 'ana', reason: 'canary <b>start</b> & "go"' });
});

afterEach(async () => {
  for (const close of closers.reverse()) await close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function serve(options: Partial<StatusPageOptions> = {}): Promise<string> {
  const server = await createStatusServer({ store, experiment: EXPERIMENT, token: TOKEN, port: 0, ...options });
  closers.push(server.close);
  return server.url;
}

/** The CSRF token of the confirm page, as a browser would submit it. */
async function csrfFrom(url: string): Promise<string> {
  const html = await (await fetch(`${url}/rollback`)).text();
  return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
}

const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${url}/rollback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });

/** The page's text with the five escapes undone, to look for messages that quote. */
const unescaped = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const rolloutNow = async () => (await store.read()).rollouts[EXPERIMENT]!;

describe('the status page', () => {
  it('shows what the store holds, every value escaped, and refreshes itself; no script and no outside reference', async () => {
    const url = await serve();
    const response = await fetch(`${url}/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(html).toContain('data-field="live">5%</span>');
    expect(html).toContain('data-field="phase">canary</span>');
    expect(html).toContain('canary &lt;b&gt;start&lt;/b&gt; &amp; &quot;go&quot;');
    expect(html).not.toContain('<b>start</b>');
    expect(html).toMatch(/<meta http-equiv="refresh" content="15">/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    expect(await (await fetch(`${url}/status.json`)).json()).toMatchObject({ experiment: EXPERIMENT, record: { rollout: 5, version: 1 }, history: [{ to: { rollout: 5 } }] });
  });

  it('says so when the store cannot be read, instead of failing', async () => {
    const broken: RolloutStore = { ...store, kind: 'postgres', read: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')), history: () => Promise.reject(new Error('down')) };
    const url = await serve({ store: broken });
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('The postgres store could not be read: connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('rolls back with the confirm step, the CSRF token and the operator token, and records who and why', async () => {
    const url = await serve();
    const confirm = await (await fetch(`${url}/rollback`)).text();
    expect(confirm).toContain('Roll back skill_tree_layout to 0%?');
    expect(await rolloutNow()).toMatchObject({ rollout: 5 }); // the confirm page changes nothing
    const response = await post(url, { csrf: await csrfFrom(url), confirm: 'yes', token: TOKEN, actor: 'bo', reason: 'errors up' }, { origin: url, 'sec-fetch-site': 'same-origin' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('5% → 0% (version 1 → 2) by bo: errors up');
    expect(await rolloutNow()).toMatchObject({ rollout: 0, version: 2, actor: 'bo', reason: 'errors up', phase: 'rollback' });
  });

  it.each([
    ['another site (Origin)', { origin: 'http://evil.example' }, {}, 403, 'Origin "http://evil.example" is not this server'],
    ['another site (Sec-Fetch-Site)', { 'sec-fetch-site': 'cross-site' }, {}, 403, 'Sec-Fetch-Site is "cross-site"'],
    ['an opaque origin', { origin: 'null' }, {}, 403, 'Origin "null" is not this server'],
    ['no CSRF token', {}, { csrf: '' }, 403, 'the form carries no CSRF token'],
    ['a forged CSRF token', {}, { csrf: `${Date.now().toString(36)}.forged` }, 403, 'not one this server issued'],
    ['no confirmation', {}, { confirm: '' }, 400, 'was not confirmed'],
    ['a wrong token', {}, { token: 'operator-token-1235' }, 403, 'operator token does not match'],
    ['a token one character short', {}, { token: TOKEN.slice(0, -1) }, 403, 'operator token does not match'],
  ])('refuses a POST from %s and changes nothing', async (_name, headers, fields, status, reason) => {
    const url = await serve();
    const form = { csrf: await csrfFrom(url), confirm: 'yes', token: TOKEN, ...fields };
    const response = await post(url, form, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(unescaped(await response.text())).toContain(reason);
    expect(await rolloutNow()).toMatchObject({ rollout: 5, version: 1 });
  });

  it('refuses a CSRF token of another server (a restarted monitor) and an expired one', async () => {
    const first = await serve();
    const stale = await csrfFrom(first);
    const second = await serve();
    const response = await post(second, { csrf: stale, confirm: 'yes', token: TOKEN });
    expect(response.status).toBe(403);
    expect(unescaped(await response.text())).toContain('the CSRF token is not one this server issued (was the monitor restarted?)');
    expect(await rolloutNow()).toMatchObject({ rollout: 5 });
    // Signed by this server but issued over an hour ago (CSRF_LIFETIME_MS).
    const csrf = createCsrf();
    const issued = Date.now();
    const token = csrf.issue(issued);
    expect(csrf.check(token, issued + CSRF_LIFETIME_MS)).toBeNull();
    expect(csrf.check(token, issued + CSRF_LIFETIME_MS + 1)).toBe('the CSRF token has expired: reload the status page and try again');
    expect(csrf.check(token, issued - 1)).toBe('the CSRF token has expired: reload the status page and try again');
  });

  it('has no kill switch without an operator token', async () => {
    const url = await serve({ token: '' });
    expect(await (await fetch(`${url}/`)).text()).toContain('data-field="kill-off"');
    for (const response of [await fetch(`${url}/rollback`), await post(url, { csrf: 'x', confirm: 'yes', token: '' })]) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This status page was started without an operator token, so it cannot change the rollout.');
    }
    expect(await rolloutNow()).toMatchObject({ rollout: 5 });
  });

  it('answers a store that refuses the write with an error page naming the way out, and tells onError', async () => {
    const errors: unknown[] = [];
    const refusing: RolloutStore = { ...store, read: () => store.read(), history: (e) => store.history(e), write: () => Promise.reject(new Error('read-only file system')) };
    const url = await serve({ store: refusing, onError: (error) => errors.push(error) });
    const response = await post(url, { csrf: await csrfFrom(url), confirm: 'yes', token: TOKEN });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('read-only file system. Roll back with `bucketry rollout set skill_tree_layout 0`');
    expect(errors).toHaveLength(1);
  });
});

describe('its options', () => {
  it('are checked, naming the option, the value and the rule', () => {
    expect(() => createStatusHandler({ store, experiment: 'Skill Tree' })).toThrow('experiment must be an experiment key ([a-z0-9_.-], up to 64 characters), got "Skill Tree"');
    expect(() => createStatusHandler({ store: undefined as unknown as RolloutStore, experiment: EXPERIMENT })).toThrow('store must be a rollout store (openStore(url) from @bucketry/live), got undefined');
    expect(() => createStatusHandler({ store, experiment: EXPERIMENT, refreshSeconds: 0.5 })).toThrow('refreshSeconds must be a whole number of seconds from 1, got 0.5');
  });
});

describe('mounted in an Express app', () => {
  async function listen(app: express.Express): Promise<string> {
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each([
    ['without a body parser', false],
    ['after express.urlencoded()', true],
  ])('links under its mount path and rolls back (%s)', async (_name, parser) => {
    const app = express();
    if (parser) app.use(express.urlencoded({ extended: false }));
    app.use('/ops/rollout', createStatusHandler({ store, experiment: EXPERIMENT, token: TOKEN }));
    app.get('/other', (_req, res) => void res.send('the app'));
    const url = await listen(app);
    const html = await (await fetch(`${url}/ops/rollout/`)).text();
    expect(html).toContain('action="/ops/rollout/rollback"');
    expect(await (await fetch(`${url}/other`)).text()).toBe('the app');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${url}/ops/rollout/rollback`)).text())![1]!;
    const response = await post(`${url}/ops/rollout`, { csrf, confirm: 'yes', token: TOKEN }, { origin: url });
    expect(response.status).toBe(200);
    expect(await rolloutNow()).toMatchObject({ rollout: 0 });
  });
});
