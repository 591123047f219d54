import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { gzippedBundle } from '../../../test-support/gzipped-bundle.mjs';

// The web entry must bundle for browsers: the server SDK needs node:events and async_hooks. Checked
// here without a browser (web-provider.browser.test.ts needs Chromium), as an app's bundler sees it.
it('@bucketry/openfeature/web imports the web SDK, OpenFeature core and @bucketry/core only: no server SDK, no Node built-in', async () => {
  const { result } = await gzippedBundle(`export * from './web.ts';`, {
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    loader: 'ts',
    platform: 'browser',
    external: ['@openfeature/*', '@bucketry/core'],
    metafile: true,
  });
  const imports = Object.values(result.metafile!.outputs).flatMap((output) => output.imports.map((i) => i.path));
  expect([...new Set(imports)].sort()).toEqual(['@bucketry/core', '@openfeature/core', '@openfeature/web-sdk']);
});
