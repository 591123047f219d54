// How this repository measures a bundle, shared by the bundle-size tests (test-support/bundle-size.ts,
// from the packages' source) and `pnpm bench` (bench/bundle-sizes.mjs, from their built dist), so
// the two report sizes made the same way: esbuild bundle + minify + tree-shake as an app's
// production build would, then gzip -9. Plain JavaScript so that the bench runs it without a build.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * Bundles `contents` (module source, resolved from `resolveDir`) and gzips it. `options` adds to or
 * overrides the esbuild options (`external`, `define`, `metafile`, …).
 *
 * @param {string} contents
 * @param {{ resolveDir: string, loader?: 'js' | 'ts' } & Omit<import('esbuild').BuildOptions, 'loader'>} options
 */
export async function gzippedBundle(contents, { resolveDir, loader = 'js', ...options }) {
  const result = await build({
    stdin: { contents, resolveDir, loader },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
    ...options,
  });
  const code = result.outputFiles[0].contents;
  return { result, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}
