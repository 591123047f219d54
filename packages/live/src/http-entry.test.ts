import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// @bucketry/live/http must run on edge runtimes and in browsers: fetch only, no Node built-ins.
describe('the @bucketry/live/http entry', () => {
  it('bundles for the neutral platform with no Node built-in and nothing but @bucketry/core outside it', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./http.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'neutral',
      format: 'esm',
      external: ['@bucketry/core'],
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect([...new Set(imports)]).toEqual(['@bucketry/core']);
    const inputs = Object.keys(result.metafile.inputs).map((path) => path.replace(/^.*src\//, ''));
    expect(inputs.some((path) => /store|last-known-good|node:/.test(path))).toBe(false);
  });
});
