import { defineExperiment, type Experiment } from '@bucketry/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample, type RunningExample } from '../../skill-tree/src/test-support/start-example.js';
import { launchChromium } from '../../../test-support/chromium.js';
import { unitWithVariant } from '../../../test-support/units.js';

// The page, built with `vite build --mode development` (React's development build, so StrictMode
// renders and runs effects twice) and served by `vite preview`, which proxies /api to the
// example API started as a child process. Debian's Chromium drives it through playwright-core.
const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROLLOUT = '50';
const TOKEN = 'skill-tree-web-test-token';

interface TrackCall {
  readonly event: string;
  readonly userId?: string;
  readonly properties: { readonly variant: string };
}

let dir: string;
let outDir: string;
let api: RunningExample;
let web: PreviewServer;
let browser: Browser;
let pageUrl: string;
let experiment: Experiment;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'skill-tree-web-'));
  outDir = join(dir, 'dist');
  [api] = await Promise.all([
    startExample({ SKILL_TREE_LIST_ROLLOUT: ROLLOUT, EXPOSURE_LOG: join(dir, 'events.jsonl'), EVENTS_TOKEN: TOKEN, EXPOSURE_FLUSH_MS: '50' }),
    build({ root: WEB_DIR, mode: 'development', logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
  ]);
  web = await preview({ root: WEB_DIR, mode: 'development', logLevel: 'warn', build: { outDir }, preview: { port: 0, proxy: { '/api': api.url } } });
  pageUrl = web.resolvedUrls!.local[0]!;
  browser = await launchChromium();
  // The experiment as the API runs it (its rollout from its own status route), to pick users per layout.
  const status = (await (await fetch(`${api.url}/api/feature-flags/skill_tree_layout`)).json()) as { enabled: boolean; percentage: number };
  expect(status).toEqual({ enabled: true, percentage: Number(ROLLOUT) });
  experiment = defineExperiment({ key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: status.percentage });
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await api?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The API's recent events (exposures and outcomes) of one user, oldest first. */
async function eventsOf(user: string): Promise<TrackCall[]> {
  const response = await fetch(`${api.url}/api/events?limit=1000`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const { events } = (await response.json()) as { events: TrackCall[] };
  return events.filter((event) => event.userId === user).reverse();
}

interface PageWatch {
  readonly page: Page;
  /** Every value of data-variant that any element had at any moment, in order. */
  variantsSeen(): Promise<string[]>;
  readonly errors: string[];
  readonly rolloutRequests: string[];
}

/** A fresh browser context (no cookies) whose page records every variant it ever shows, and its errors. */
async function openPage(): Promise<PageWatch> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const rolloutRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('request', (request) => {
    if (request.url().includes('/api/feature-flags/')) rolloutRequests.push(request.url());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { variantsSeen: string[] }).variantsSeen = seen;
    const record = (element: Element) => {
      const variant = element.getAttribute('data-variant');
      if (variant !== null && seen[seen.length - 1] !== variant) seen.push(variant);
    };
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (mutation.type === 'attributes') record(mutation.target as Element);
        for (const node of Array.from(mutation.addedNodes)) {
          if (node instanceof Element) [node, ...Array.from(node.querySelectorAll('[data-variant]'))].forEach(record);
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-variant'] });
  });
  return { page, errors, rolloutRequests, variantsSeen: () => page.evaluate(() => (window as unknown as { variantsSeen: string[] }).variantsSeen) };
}

/** What the page shows: the variant of each of the three readers. */
const shown = (page: Page) =>
  Promise.all(['layout-badge', 'skills', 'layout-hint'].map((id) => page.getByTestId(id).getAttribute('data-variant')));

describe('the skill-tree page in Chromium, against the example API', () => {
  it('shows each user the layout the API decided (its header and cookie), with no flash and one exposure', async () => {
    const users = { tree: unitWithVariant(experiment, 'tree'), list: unitWithVariant(experiment, 'list') };
    for (const [variant, user] of Object.entries(users)) {
      const watch = await openPage();
      const apiResponse = watch.page.waitForResponse((response) => response.url().endsWith('/api/v1/skills/tree') && response.status() === 200);
      await watch.page.goto(`${pageUrl}?user=${encodeURIComponent(user)}`);
      // The skills, or the notice the page shows when its layout and the API's disagree.
      await watch.page.locator('[data-testid="skills"], [data-testid="layout-mismatch"]').waitFor();

      expect(await shown(watch.page)).toEqual([variant, variant, variant]);
      expect((await apiResponse).headers()['x-experiment-skill-tree-layout']).toBe(variant);
      const cookies = await watch.page.context().cookies();
      expect(cookies.find((cookie) => cookie.name === 'exp_skill_tree_layout')?.value).toBe(variant);
      // From the first paint on, only this user's variant: never the control first.
      expect(await watch.variantsSeen()).toEqual([variant]);
      // StrictMode's double effects really ran (the page asked for the rollout twice)...
      expect(watch.rolloutRequests).toHaveLength(2);
      // ...and still: one exposure and one load-time report for this user.
      await expect.poll(async () => (await eventsOf(user)).map((e) => `${e.event}:${e.properties.variant}`)).toEqual([
        `experiment_exposure:${variant}`,
        `skill_tree_loaded:${variant}`,
      ]);
      expect(watch.errors).toEqual([]);
      await watch.page.context().close();
    }
  });

  it('switches a user who signs in to their layout without a reload, one exposure per user', async () => {
    const listUser = unitWithVariant(experiment, 'list', { skip: 1 });
    const treeUser = unitWithVariant(experiment, 'tree', { skip: 1 });
    const watch = await openPage();
    const { page } = watch;
    await page.goto(pageUrl);
    // Signed out: control, and not in the experiment.
    await expect.poll(() => page.getByTestId('layout-badge').getAttribute('data-reason')).toBe('missing_unit');
    expect(await page.getByTestId('layout-badge').getAttribute('data-variant')).toBe('tree');

    await page.getByLabel('User id').fill(listUser);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('skills').waitFor();
    expect(await shown(page)).toEqual(['list', 'list', 'list']);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User id').fill(treeUser);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('skills').getAttribute('data-variant')).toBe('tree');
    expect(await shown(page)).toEqual(['tree', 'tree', 'tree']);

    // Control while signed out, list for the first user, tree for the second: nothing in between.
    expect(await watch.variantsSeen()).toEqual(['tree', 'list', 'tree']);
    for (const [user, variant] of [[listUser, 'list'], [treeUser, 'tree']] as const) {
      await expect.poll(async () => (await eventsOf(user)).map((e) => `${e.event}:${e.properties.variant}`)).toEqual([
        `experiment_exposure:${variant}`,
        `skill_tree_loaded:${variant}`,
      ]);
    }
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });
});

/** A port nothing listens on (the OS's pick, released), for an API that is not started yet. */
async function unusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the skill-tree page before its API runs', () => {
  it('says what to start and how, looks like a product (its own stylesheet, nothing remote), and shows the skills once the API runs and the reader tries again', async () => {
    const port = await unusedPort();
    const early = await preview({ root: WEB_DIR, mode: 'development', logLevel: 'silent', build: { outDir }, preview: { port: 0, proxy: { '/api': `http://127.0.0.1:${port}` } } });
    let late: RunningExample | undefined;
    try {
      const url = early.resolvedUrls!.local[0]!;
      const watch = await openPage();
      const { page } = watch;
      const origins = new Set<string>();
      page.on('request', (request) => origins.add(new URL(request.url()).origin));
      await page.goto(url);

      const notice = page.getByTestId('api-down');
      await notice.waitFor();
      expect(await notice.getByRole('heading').textContent()).toBe('The skills service isn’t answering');
      // The address it was built to use (vite.config.ts: SKILL_TREE_API, default 127.0.0.1:3000) and the command for it.
      expect(await notice.textContent()).toContain('it reaches at http://127.0.0.1:3000. Start it in another terminal, from the repository root:');
      expect(await page.getByTestId('api-start-command').textContent()).toBe('SKILL_TREE_LIST_ROLLOUT=50 pnpm --dir examples/skill-tree start');
      // Styled by the page's own stylesheet, in system fonts: every request went to the page's origin.
      const look = await page.evaluate(() => {
        const card = getComputedStyle(document.querySelector('.card')!);
        return { radius: card.borderRadius, font: getComputedStyle(document.body).fontFamily };
      });
      expect(look).toEqual({ radius: '10px', font: expect.stringContaining('system-ui') });
      expect([...origins]).toEqual([new URL(url).origin]);

      late = await startExample({ PORT: String(port), SKILL_TREE_LIST_ROLLOUT: ROLLOUT, EXPOSURE_LOG: join(dir, 'late.jsonl') });
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByLabel('User id').fill(unitWithVariant(experiment, 'list', { skip: 2 }));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('skills').getAttribute('data-variant')).toBe('list');
      await page.context().close();
    } finally {
      await late?.stop();
      await early.close();
    }
  });
});
