import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  // React and core are the app's own copies, never bundled.
  external: ['react', '@bucketry/core'],
  // esbuild drops a module-level 'use client' when bundling; frameworks with server components
  // need it at the top of the file to treat the provider and the hook as client code.
  banner: { js: "'use client';" },
});
