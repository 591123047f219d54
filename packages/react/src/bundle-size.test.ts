// @vitest-environment node
import type { Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gzippedBundle } from '../../../test-support/gzipped-bundle.mjs';
import * as api from './index.js';

// Issue #4: at most 1.5 KB gzip beyond React and core, which the app has anyway. What the package
// takes from @bucketry/http (the header and cookie names) is counted: a React app may not have it.
const BUDGET = 1536;

const here = fileURLToPath(new URL('.', import.meta.url));
const indexPath = fileURLToPath(new URL('./index.ts', import.meta.url));
// @bucketry/http is measured from its source, as this package is. Its dist is one module, and with
// core external esbuild keeps every core import in it (createBucketry, unitKey, ...) for their
// possible side effects, though nothing uses them: about 60 B gzip that an app, which bundles core
// (sideEffects: false), never ships, and that would grow with every core import http adds.
const httpSource = fileURLToPath(new URL('../../http/src/index.ts', import.meta.url));

describe('bundle size', () => {
  it(`the whole package adds at most ${BUDGET} B gzipped to an app that has React and core`, async () => {
    const { result, minified, gzipped } = await gzippedBundle(`export * from ${JSON.stringify(indexPath)};`, {
      resolveDir: here,
      loader: 'ts',
      external: ['react', 'react-dom', '@bucketry/core'],
      alias: { '@bucketry/http': httpSource },
      metafile: true,
    });
    const output = Object.values((result.metafile as Metafile).outputs)[0]!;
    const breakdown = Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file, input]) => `${file.replace(/^.*\/packages\//, '')} ${input.bytesInOutput}`)
      .join(', ');
    // Guards against measuring an empty bundle, one that pulled React or core in, or one without http's names.
    expect([...output.exports].sort()).toEqual(Object.keys(api).sort());
    expect(breakdown).not.toMatch(/node_modules|core\//);
    expect(breakdown).toMatch(/http\/src\/experiment-names\.ts/);
    expect(gzipped, `@bucketry/react: ${gzipped} B gzipped (budget ${BUDGET} B), ${minified} B minified; minified bytes by file: ${breakdown}`).toBeLessThanOrEqual(
      BUDGET,
    );
  });
});
