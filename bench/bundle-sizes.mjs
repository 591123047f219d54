// Bundle sizes as an app would ship them: esbuild bundle + minify + tree-shake, then gzip -9.
import { fileURLToPath } from 'node:url';
import { gzippedBundle } from '../test-support/gzipped-bundle.mjs';

const benchDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles `source` (resolved from bench/, so through the workspace packages) and returns its
 * minified and gzipped sizes in bytes. `process.env.NODE_ENV` is defined as "production", as
 * an app's production build would, so libraries drop their development-only code.
 */
export async function bundleSize(source) {
  const { minified, gzipped } = await gzippedBundle(source, {
    resolveDir: benchDir,
    mainFields: ['module', 'main'],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return { minified, gzipped };
}

/** The four bundles the report compares. */
export const BUNDLES = {
  'bucketry: assignVariant + defineExperiment': "export { assignVariant, defineExperiment } from '@bucketry/core';",
  'bucketry: whole core': "export * from '@bucketry/core';",
  'growthbook: GrowthBookClient': "export { GrowthBookClient } from '@growthbook/growthbook';",
  'growthbook: whole package': "export * from '@growthbook/growthbook';",
};

export async function measureBundles() {
  const sizes = {};
  for (const [name, source] of Object.entries(BUNDLES)) sizes[name] = await bundleSize(source);
  return sizes;
}
