import type { Options } from 'tsup';

/**
 * The build the published packages share: ESM + CommonJS + .d.ts from src/index.ts, ES2022, with
 * source maps, for any runtime unless a package says otherwise. Dependencies and peers stay
 * external (tsup's default), so an app gets one copy of each.
 */
export const packageBuild = (options: Options = {}): Options => ({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  ...options,
});
