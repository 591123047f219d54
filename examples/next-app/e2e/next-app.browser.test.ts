import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { assignVariant, defineExperiment, type ExposureEvent } from '@bucketry/core';
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { cookieValue } from '../../../test-support/cookie-jar.js';
import { nonAsciiIds } from '../../../test-support/non-ascii-ids.js';
import { unitWithVariant } from '../../../test-support/units.js';
import { skillTreeLayout } from '../experiments.js';
import { nextBuild, nextStart, type RunningNext } from './next-process.js';

// Builds the app once (`next build`), then serves it with `next start` on 127.0.0.1 and drives
// Debian's Chromium through playwright-core. The rollout is read when the server starts, so the
// kill switch is a restart with SKILL_TREE_LIST_ROLLOUT=0, not a rebuild.
const appDir = fileURLToPath(new URL('..', import.meta.url));

const skillTreeAt = (rollout: number) => defineExperiment({ ...skillTreeLayout, variants: [...skillTreeLayout.variants], rollout });

/** The deployment's secret: the proxy signs the assignments it forwards with it (the build needs none). */
const BUCKETRY_SECRET = randomBytes(32).toString('base64');

/** The app at a rollout, its exposures going to the collector. */
const startApp = (rollout: string): Promise<RunningNext> =>
  nextStart(appDir, { ...process.env, BUCKETRY_SECRET, SKILL_TREE_LIST_ROLLOUT: rollout, EXPOSURES_URL: `${collector.url}/exposures` });

/** Where the app's fetch sink POSTs exposures. */
const collector = { url: '', events: [] as ExposureEvent[], server: undefined as Server | undefined };

/** Waits until the collector holds `count` events (exposures are delivered after the response). */
async function exposures(count: number): Promise<ExposureEvent[]> {
  const deadline = Date.now() + 10_000;
  while (collector.events.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  // A little longer, so that an extra (wrong) exposure would be seen too.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return collector.events;
}

/** What a page load showed: the first response's header, cookies and HTML, and the page after hydration. */
async function visit(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
  // Every text the badge ever has, from the first paint on: a flash of another variant would show here.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { badgeTexts: string[] }).badgeTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="layout-badge"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const response = (await page.goto(`${url}/skills`))!;
  const html = await response.text();
  const header = response.headers()['x-experiment-skill-tree-layout'];
  const cookiesSet = await setCookies(response);
  await page.locator('[data-testid="layout-badge"][data-hydrated="true"]').waitFor({ timeout: 15_000 });
  const shown = {
    layout: await page.locator('main').getAttribute('data-layout'),
    badge: await page.locator('[data-testid="layout-badge"]').textContent(),
    badgeTexts: await page.evaluate(() => (window as unknown as { badgeTexts: string[] }).badgeTexts),
  };
  await page.close();
  return { header, setCookies: cookiesSet, html, shown, problems };
}

async function setCookies(response: Response): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const { name, value } of await response.headersArray()) {
    if (name.toLowerCase() === 'set-cookie') found.set(value.slice(0, value.indexOf('=')), cookieValue(value)!);
  }
  return found;
}

const cookieOf = async (context: BrowserContext, name: string) => (await context.cookies()).find((c) => c.name === name)?.value;

let browser: Browser;
let app: RunningNext;

beforeAll(async () => {
  collector.server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      collector.events.push(...(JSON.parse(body) as ExposureEvent[]));
      res.statusCode = 204;
      res.end();
    });
  });
  collector.server.listen(0, '127.0.0.1');
  await once(collector.server, 'listening');
  collector.url = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  const started = Date.now();
  await nextBuild(appDir);
  console.log(`next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  browser = await launchChromium();
  app = await startApp('50');
}, 180_000);

afterAll(async () => {
  await app?.stop();
  await browser?.close();
  await new Promise((resolve) => (collector.server ? collector.server.close(resolve) : resolve(undefined)));
});

describe('examples/next-app at SKILL_TREE_LIST_ROLLOUT=50, then 0', () => {
  const listUser = unitWithVariant(skillTreeAt(50), 'list');
  const treeUser = unitWithVariant(skillTreeAt(50), 'tree');
  let visitor: BrowserContext;
  let visitorId = '';
  let visitorLayout = '';
  let listUserContext: BrowserContext;

  it('renders a new visitor’s assigned variant in the first response, consistent with its header and cookie, with no flash and no hydration error', async () => {
    visitor = await browser.newContext();
    const first = await visit(visitor, app.url);
    visitorId = first.setCookies.get('bucketry_uid')!;
    visitorLayout = assignVariant(skillTreeAt(50), visitorId).variant;
    expect(first.header).toBe(visitorLayout);
    expect(first.setCookies.get('exp_skill_tree_layout')).toBe(visitorLayout);
    expect(first.html).toContain(`<main data-layout="${visitorLayout}">`);
    expect(first.shown).toEqual({
      layout: visitorLayout,
      badge: `Showing the ${visitorLayout} layout`,
      badgeTexts: [`Showing the ${visitorLayout} layout`],
    });
    expect(first.problems).toEqual([]);
    expect(await cookieOf(visitor, 'exp_skill_tree_layout')).toBe(visitorLayout);
  });

  it('keeps the variant on a second visit, without setting the cookies again', async () => {
    const second = await visit(visitor, app.url);
    expect(second.header).toBe(visitorLayout);
    expect([...second.setCookies.keys()]).toEqual([]);
    expect(second.shown.layout).toBe(visitorLayout);
    expect(second.problems).toEqual([]);
  });

  it('gives signed-in users the engine’s variant, in the page and in the route handler, and exposes each unit once', async () => {
    for (const [user, layout] of [
      [listUser, 'list'],
      [treeUser, 'tree'],
    ] as const) {
      const context = await browser.newContext({ extraHTTPHeaders: { 'x-user-id': user } });
      const shown = await visit(context, app.url);
      expect([shown.header, shown.shown.layout, shown.shown.badgeTexts]).toEqual([layout, layout, [`Showing the ${layout} layout`]]);
      expect(shown.problems).toEqual([]);
      const api = await context.request.get(`${app.url}/api/v1/skills/tree`);
      expect([api.headers()['x-experiment-skill-tree-layout'], ((await api.json()) as { layout: string }).layout]).toEqual([layout, layout]);
      if (user === listUser) listUserContext = context;
      else await context.close();
    }
    const events = await exposures(3);
    expect(events.map((e) => [e.unit, e.variant, e.reason])).toEqual([
      [visitorId, visitorLayout, 'bucketed'],
      [listUser, 'list', 'bucketed'],
      [treeUser, 'tree', 'bucketed'],
    ]);
  });

  it('sends everyone to control at SKILL_TREE_LIST_ROLLOUT=0, rewriting the list cookie, and exposes no one', async () => {
    await app.stop();
    app = await startApp('0');
    const before = collector.events.length;
    expect(await cookieOf(listUserContext, 'exp_skill_tree_layout')).toBe('list');
    const killed = await visit(listUserContext, app.url);
    expect([killed.header, killed.shown.layout, killed.shown.badge]).toEqual(['tree', 'tree', 'Showing the tree layout']);
    expect(killed.setCookies.get('exp_skill_tree_layout')).toBe('tree');
    expect(killed.html).toContain('<main data-layout="tree">');
    expect(await cookieOf(listUserContext, 'exp_skill_tree_layout')).toBe('tree');
    const returning = await visit(visitor, app.url);
    expect(returning.shown.layout).toBe('tree');
    expect((await exposures(before)).length).toBe(before);
    await listUserContext.close();
    await visitor.close();
  });
});

/**
 * GET `path` with raw header bytes: node:http writes a header string one byte per character, so
 * a string of UTF-8 bytes goes on the wire as those bytes, as a browser or fetch sends non-ASCII.
 */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers, agent: false });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const utf8Bytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

describe('examples/next-app with untrusted input, at SKILL_TREE_LIST_ROLLOUT=50 (no browser)', () => {
  const skillTree = skillTreeAt(50);

  beforeAll(async () => {
    await app.stop();
    app = await startApp('50');
  }, 60_000);

  it('2,000 random non-ASCII X-User-Id sent as UTF-8 bytes: assignVariant’s variant for the real string in the proxy and the route handler, and exposures that carry the real string', { timeout: 180_000 }, async () => {
    const before = collector.events.length;
    const ids = nonAsciiIds(2_000);
    const mismatches: string[] = [];
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map(async (id) => {
          const { headers, body } = await rawGet(`${app.url}/api/v1/skills/tree`, { 'x-user-id': utf8Bytes(id) });
          const expected = assignVariant(skillTree, id).variant;
          if (headers['x-experiment-skill-tree-layout'] !== expected || (JSON.parse(body) as { layout: string }).layout !== expected) mismatches.push(id);
        }),
      );
    }
    expect(mismatches).toEqual([]);
    const exposed = ids.filter((id) => assignVariant(skillTree, id).inExperiment);
    const events = (await exposures(before + exposed.length)).slice(before);
    expect(new Set(events.map((e) => e.unit))).toEqual(new Set(exposed));
    expect(events).toHaveLength(exposed.length);
    expect(app.output()).not.toContain('bucketry unit');
  });

  it('a client sending its own x-bucketry-assignments on a route outside the matcher gets control, and the server reports the refusal', async () => {
    const treeUser = unitWithVariant(skillTree, 'tree');
    const forged = encodeURIComponent(
      JSON.stringify([{ experiment: 'skill_tree_layout', variant: 'list', inExperiment: true, reason: 'bucketed', bucket: 1, unit: treeUser }]),
    );
    // What the proxy forwards looks like `<signature>.<value>`: a made-up signature fails the same.
    for (const header of [forged, `${'A'.repeat(43)}=.${forged}`]) {
      const response = await rawGet(`${app.url}/api/v1/layout`, { 'x-user-id': treeUser, 'x-bucketry-assignments': header });
      expect(JSON.parse(response.body)).toEqual({ layout: 'tree' });
    }
    expect(app.output()).toContain("x-bucketry-assignments refused: not signed by this app's proxy; showing control");
  });

  it('never sends the signed header, nor what the proxy forwards to the page, to the client', async () => {
    const response = await rawGet(`${app.url}/skills`, { 'x-user-id': unitWithVariant(skillTree, 'list') });
    expect(response.headers['x-experiment-skill-tree-layout']).toBe('list');
    expect(Object.keys(response.headers).filter((name) => name.includes('bucketry-assignments') || name.startsWith('x-middleware'))).toEqual([]);
    expect(JSON.stringify(response.headers)).not.toMatch(/%5B%7B%22experiment/);
  });
});
