import { createBucketry, defineExperiment, type Bucketry, type ExperimentJSON } from '@bucketry/core';
import { createStoreSource, openStore, setRollout, type LiveSource, type RolloutStore } from '@bucketry/live';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import { dropSchema, POSTGRES_URL, uniqueName } from '../../../test-support/scratch-stores.mjs';
import { unitWithVariant } from '../../../test-support/units.js';
import { CHART_COLOURS } from './charts.js';
import type { StatusMonitorView } from './status-page-data.js';
import { createStatusServer } from './status-page.js';

// The status page in Debian's Chromium against a real PostgreSQL store followed by two live
// clients (two instances of an application): it shows what the store holds, its charts draw,
// a form posted from another origin is refused, and the kill switch (confirm, token) sends both
// clients to control.
const pg = createRequire(import.meta.url)('pg');
const EXPERIMENT = 'skill_tree_layout';
const TOKEN = 'browser-test-operator-token';
const BASE: readonly ExperimentJSON[] = [{ key: EXPERIMENT, variants: ['tree', 'list'], rollout: 0 }];

const HOUR = 3_600_000;
const start = Date.parse('2026-12-08T09:00:00.000Z');
const at = (i: number) => new Date(start + i * 10 * 60_000).toISOString();
/** A canary an hour old: six looks, error rates near the baseline, p95 under the hold limit. */
const MONITOR: StatusMonitorView = {
  stage: { name: 'canary', index: 0, count: 3, percent: 5, startedAt: at(0), minDurationMs: 72 * HOUR },
  variants: ['tree', 'list'],
  looks: [1, 2, 3, 4, 5, 6].map((i) => ({ at: at(i), units: [190 * i, 10 * i] })),
  guardrails: [
    {
      label: 'skill_tree_error rate below 2.0% (rollback above 5.0%)',
      unit: 'rate',
      hold: 0.02,
      rollback: 0.05,
      baseline: 0.011,
      points: [1, 2, 3, 4, 5, 6].map((i) => ({ at: at(i), treatment: 0.01 + i * 0.002, control: 0.01, verdict: 'hold' })),
    },
    {
      label: 'p95 skill_tree_loaded below 5 s (rollback above 10 s)',
      unit: 'ms',
      hold: 5000,
      rollback: 10000,
      baseline: 1500,
      points: [1, 2, 3, 4, 5, 6].map((i) => ({ at: at(i), treatment: 1400 + i * 50, control: 1650, verdict: 'proceed' })),
    },
  ],
  decisions: [1, 2, 3, 4, 5, 6].map((i) => ({ at: at(i), decision: 'HOLD', reason: `look ${i}: stage younger than 72h` })),
};

let schema: string;
let store: RolloutStore;
let status: { url: string; close(): Promise<void> };
let evil: Server;
let evilUrl: string;
let browser: Browser;
const clients: { bucketry: Bucketry; source: LiveSource }[] = [];
let treated: string;

beforeAll(async () => {
  schema = uniqueName('guard_status');
  const url = `${POSTGRES_URL}?schema=${schema}`;
  store = openStore(url);
  await setRollout(store, EXPERIMENT, { percent: 5, phase: 'canary', actor: 'ana', reason: 'canary: errors and load time' });
  for (let i = 0; i < 2; i++) {
    const bucketry = createBucketry({ experiments: BASE });
    const source = createStoreSource(bucketry, openStore(url), { base: BASE, pollInterval: 600_000 });
    await source.start();
    clients.push({ bucketry, source });
  }
  treated = unitWithVariant(defineExperiment({ key: EXPERIMENT, variants: ['tree', 'list'], rollout: 5 }), 'list');
  status = await createStatusServer({ store: openStore(url), experiment: EXPERIMENT, token: TOKEN, port: 0, monitor: async () => MONITOR });
  // Another site on another port: a page that posts the kill-switch form to the status server.
  evil = createServer((req, res) => {
    const csrf = new URL(req.url ?? '/', 'http://x').searchParams.get('csrf') ?? '';
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<form id="f" method="post" action="${status.url}/rollback"><input name="csrf" value="${csrf}"><input name="confirm" value="yes"><input name="token" value="${TOKEN}"></form><button id="go" onclick="document.getElementById('f').submit()">go</button>`,
    );
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve(undefined)));
  await status?.close();
  for (const { source } of clients) await source.close();
  await store?.close();
  if (schema) await dropSchema(pg, schema);
});

async function open(url: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  return page;
}

/** How many pixels of a PNG are within a small distance of each colour, counted in a blank page's canvas. */
async function colourCounts(png: Buffer, colours: readonly string[]): Promise<number[]> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ data, targets }) => {
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        const rgb = targets.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
        const counts = targets.map(() => 0);
        for (let p = 0; p < pixels.length; p += 4) {
          rgb.forEach(([r, g, b], k) => {
            if (Math.abs(pixels[p]! - r!) + Math.abs(pixels[p + 1]! - g!) + Math.abs(pixels[p + 2]! - b!) < 40) counts[k]!++;
          });
        }
        return counts;
      },
      { data: png.toString('base64'), targets: [...colours] },
    );
  } finally {
    await page.close();
  }
}

const variantsServed = () => clients.map(({ bucketry }) => bucketry.assign(EXPERIMENT, treated).variant);

describe('the status page in Chromium', () => {
  it('shows the state the store holds, the stage, the guardrails and the history', async () => {
    expect(variantsServed()).toEqual(['list', 'list']);
    const page = await open(`${status.url}/`);
    expect(await page.locator('[data-field=live]').textContent()).toBe('5%');
    expect(await page.locator('[data-field=phase]').textContent()).toBe('canary');
    expect(await page.locator('[data-field=stage]').textContent()).toMatch(/^Stage canary \(1 of 3\) at 5%/);
    expect(await page.locator('[data-table=history] tr').count()).toBe(2);
    expect(await page.locator('[data-table=history]').textContent()).toContain('canary: errors and load time');
    expect(await page.locator('[data-table=guardrails]').textContent()).toContain('2.20%'); // the last look's treatment error rate
    expect(await page.locator('[data-table=decisions] tr').count()).toBe(7);
    await page.context().close();
  });

  // A drawn line is several hundred pixels of its colour; a legend swatch or the dots alone are under 200.
  it('draws every chart: the series and threshold colours are on screen in each chart region', async () => {
    const page = await open(`${status.url}/`);
    const charts = page.locator('svg[data-chart]');
    expect(await charts.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-chart')))).toEqual(['exposures', 'balance', 'guardrail-0', 'guardrail-1']);
    for (const id of ['exposures', 'balance']) {
      const [control, treatment] = await colourCounts(await page.locator(`svg[data-chart=${id}]`).screenshot(), [CHART_COLOURS.control, CHART_COLOURS.treatment]);
      expect(control, `${id}: control's line`).toBeGreaterThan(250);
      expect(treatment, `${id}: the treatment's line`).toBeGreaterThan(250);
    }
    for (const id of ['guardrail-0', 'guardrail-1']) {
      const counts = await colourCounts(await page.locator(`svg[data-chart=${id}]`).screenshot(), [CHART_COLOURS.treatment, CHART_COLOURS.control, CHART_COLOURS.baseline, CHART_COLOURS.hold, CHART_COLOURS.rollback]);
      for (const [k, name] of ['treatment', 'control', 'baseline', 'hold', 'rollback'].entries()) expect(counts[k], `${id}: ${name}`).toBeGreaterThan(250);
    }
    await page.context().close();
  });

  it('refuses the kill-switch form posted from another origin, even with a valid CSRF token and the operator token', async () => {
    const page = await open(`${status.url}/rollback`);
    const csrf = await page.locator('input[name=csrf]').inputValue();
    const attacker = await open(`${evilUrl}/?csrf=${encodeURIComponent(csrf)}`);
    const [response] = await Promise.all([attacker.waitForResponse(`${status.url}/rollback`), attacker.click('#go')]);
    expect(response.status()).toBe(403);
    expect(await attacker.locator('[data-field=outcome]').textContent()).toMatch(/^Sec-Fetch-Site is "same-site", not "same-origin"/);
    expect((await store.read()).rollouts[EXPERIMENT]).toMatchObject({ rollout: 5, version: 1 });
    expect(variantsServed()).toEqual(['list', 'list']);
    await page.context().close();
    await attacker.context().close();
  });

  it('rolls back with the button, the confirm step and the token: the store goes to 0 and both instances serve control', async () => {
    const page = await open(`${status.url}/`);
    await page.click('[data-action=kill]');
    expect(await page.locator('h1').textContent()).toBe('Roll back skill_tree_layout to 0%?');
    expect((await store.read()).rollouts[EXPERIMENT]!.rollout).toBe(5);
    await page.fill('input[name=token]', TOKEN);
    await page.fill('input[name=actor]', 'oncall-bo');
    await page.click('[data-action=confirm]');
    expect(await page.locator('[data-field=outcome]').textContent()).toMatch(/^5% → 0% \(version 1 → 2\) by oncall-bo/);
    expect((await store.read()).rollouts[EXPERIMENT]).toMatchObject({ rollout: 0, version: 2, actor: 'oncall-bo' });
    // Both instances hear of it through LISTEN/NOTIFY (their poll is 10 minutes away).
    const deadline = Date.now() + 60_000;
    while (variantsServed().some((v) => v !== 'tree') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(variantsServed()).toEqual(['tree', 'tree']);
    await page.goto(`${status.url}/`);
    expect(await page.locator('[data-field=live]').textContent()).toBe('0%');
    expect(await page.locator('[data-table=history]').textContent()).toContain('5% → 0%');
    await page.context().close();
  });
});
