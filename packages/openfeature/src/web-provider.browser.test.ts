import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createBucketry, type Bucketry, type ExperimentJSON } from '@bucketry/core';
import { expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';

// Debian's Chromium through playwright-core: the web provider under @openfeature/react-sdk, with
// React 19, bundled from source by esbuild (no CDN, no dev server).

const EXPERIMENTS: ExperimentJSON[] = [
  { key: 'new_checkout', variants: ['off', 'on'], rollout: 50, values: { off: false, on: true } },
  { key: 'skill_tree_layout', variants: ['tree', 'list'], rollout: 50, values: { tree: { layout: 'tree' }, list: { layout: 'list' } } },
];

async function pageScript(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./test-support/react-page.tsx', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const textFor = (bucketry: Bucketry, unit: string): string =>
  `checkout:${String(bucketry.peek('new_checkout', unit).value)} layout:${(bucketry.peek('skill_tree_layout', unit).value as { layout: string }).layout}`;

it(
  'renders the assigned variants on first paint (no default first), exposes them once, and re-decides for a new context',
  async () => {
    const bucketry = createBucketry({ experiments: EXPERIMENTS });
    // A unit whose variants differ from both defaults (checkout false, layout 'default'), and another one.
    const unit = Array.from({ length: 1000 }, (_, n) => `user-${n}`).find((u) => bucketry.peek('new_checkout', u).value === true)!;
    const other = Array.from({ length: 1000 }, (_, n) => `user-${n}`).find((u) => textFor(bucketry, u) !== textFor(bucketry, unit))!;
    const script = await pageScript();
    // What a unit's render exposes: each flag whose experiment it is in, with its variant.
    const exposuresOf = (u: string) =>
      EXPERIMENTS.map(({ key }) => bucketry.peek(key, u)).filter((a) => a.inExperiment).map((a) => [a.experiment, u, a.variant]);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><meta charset="utf-8"><title>bucketry openfeature</title><div id="root"></div>');
      // As JSON text: Playwright's serializable-argument type is too deep for an ExperimentJSON[].
      await page.evaluate((text) => {
        (globalThis as Record<string, unknown>).bucketryPage = { ...(JSON.parse(text) as object), paints: [], exposures: [] };
      }, JSON.stringify({ experiments: EXPERIMENTS, unit }));
      await page.addScriptTag({ content: script });
      await page.waitForFunction(() => document.getElementById('flags') !== null, undefined, { timeout: 60_000 });

      const state = () => page.evaluate(() => {
        const s = (globalThis as unknown as { bucketryPage: { paints: string[]; exposures: { experiment: string; unit: string; variant: string }[] } }).bucketryPage;
        return { paints: [...s.paints], exposures: s.exposures.map((e) => [e.experiment, e.unit, e.variant]) };
      });
      const first = await state();
      expect(first.paints).toEqual([textFor(bucketry, unit)]);
      expect(first.paints[0]).toContain('checkout:true');
      expect(first.exposures.sort()).toEqual(exposuresOf(unit).sort());

      await page.evaluate((next) => (globalThis as unknown as { bucketryPage: { changeUnit: (u: string) => Promise<void> } }).bucketryPage.changeUnit(next), other);
      await page.waitForFunction((expected) => document.getElementById('flags')?.textContent === expected, textFor(bucketry, other), { timeout: 60_000 });
      const after = await state();
      expect(after.paints).toEqual([textFor(bucketry, unit), textFor(bucketry, other)]);
      // The new unit's exposures, each once, and none again for the first unit.
      expect(after.exposures.sort()).toEqual([...exposuresOf(unit), ...exposuresOf(other)].sort());
    } finally {
      await browser.close();
    }
  },
  120_000,
);
