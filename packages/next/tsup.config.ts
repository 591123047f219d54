import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Next.js 15 runs it on the Edge runtime, Next.js 16 on Node: nothing platform-specific.
  platform: 'neutral',
  // Next and the Bucketry packages are the app's own copies, never bundled.
  external: ['next', '@bucketry/core', '@bucketry/http'],
});
