import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  // Express and the Bucketry packages are the user's own copies, never bundled.
  external: ['express', '@bucketry/core', '@bucketry/http'],
});
