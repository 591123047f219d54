import { defineConfig } from 'tsup';

export default defineConfig({
  // The library, the `bucketry` bin (esbuild keeps its shebang) and the worker threads' script.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'classify-worker': 'src/analysis/classify-worker.ts' },
  format: ['esm'],
  // @bucketry/stats is private (never published): its code goes into this build and its types
  // into index.d.ts, so the published package requires nothing unpublished.
  noExternal: ['@bucketry/stats'],
  dts: { entry: { index: 'src/index.ts' }, resolve: ['@bucketry/stats'] },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
