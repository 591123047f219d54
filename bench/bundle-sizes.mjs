// Bundle sizes as an app would ship them: esbuild bundle + minify + tree-shake, then gzip -9.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const benchDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles `source` (resolved from bench/, so through the workspace packages) and returns its
 * minified and gzipped sizes in bytes. `process.env.NODE_ENV` is defined as "production", as
 * an app's production build would, so libraries drop their development-only code.
 */
export async function bundleSize(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: benchDir, loader: 'js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
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
