import { defineConfig } from 'tsup';

export default defineConfig({
  // The library and the `bucketry` bin; esbuild keeps the bin's shebang.
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
});
