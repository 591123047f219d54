import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { launchChromium } from '../../../test-support/chromium.js';
import * as core from './index.js';
import { runSpecVectors, specMismatches, type CoreApi, type SpecResults, type SpecVectors } from './test-support/spec-vectors.js';

// Debian's Chromium, driven by playwright-core (no downloaded browsers).

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** One entry point as a classic script that leaves its exports on `globalThis[globalName]`. */
async function bundleForBrowser(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [here(entry)],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName,
    target: 'es2020',
    charset: 'ascii',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

interface PageGlobals {
  Bucketry: CoreApi;
  BucketrySpec: { runSpecVectors: typeof runSpecVectors };
}

it(
  'assigns every spec vector in Chromium exactly as in Node and as the Python reference',
  async () => {
    // The file is ASCII (non-ASCII text is \u-escaped), so it crosses into the page unaltered,
    // lone surrogates included; the page parses it itself.
    const vectorsText = readFileSync(here('../../../spec/vectors.json'), 'utf8');
    const vectors = JSON.parse(vectorsText) as SpecVectors;
    const [coreBundle, runnerBundle] = await Promise.all([
      bundleForBrowser('./index.ts', 'Bucketry'),
      bundleForBrowser('./test-support/spec-vectors.ts', 'BucketrySpec'),
    ]);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<!doctype html><meta charset="utf-8"><title>bucketry determinism</title>');
      await page.addScriptTag({ content: coreBundle });
      await page.addScriptTag({ content: runnerBundle });
      const inPage = await page.evaluate((text) => {
        const g = globalThis as unknown as PageGlobals & { process?: unknown };
        return {
          isNode: typeof g.process !== 'undefined',
          results: JSON.stringify(g.BucketrySpec.runSpecVectors(g.Bucketry, JSON.parse(text) as SpecVectors)),
        };
      }, vectorsText);

      expect(inPage.isNode, 'the page must be a browser, not Node').toBe(false);
      const browserResults = JSON.parse(inPage.results) as SpecResults;
      const nodeResults = JSON.parse(JSON.stringify(runSpecVectors(core, vectors))) as SpecResults;
      expect(browserResults.cases).toHaveLength(vectors.cases.length);
      expect(browserResults).toEqual(nodeResults);
      expect(specMismatches(vectors, browserResults)).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  60_000,
);
