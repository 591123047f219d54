import { defineConfig } from 'tsup';

export default defineConfig({
  // The library, the `bucketry` bin (esbuild keeps its shebang) and the worker threads' script.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'classify-worker': 'src/analysis/classify-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
