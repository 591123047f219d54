import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

// ESM only, for Node (node:fs, pg through @bucketry/live). `cli` is what `bucketry monitor` imports;
// `bin` is the `bucketry-guard` command (esbuild keeps its shebang). @bucketry/stats is private:
// bundled, never a dependency of the published package.
export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', cli: 'src/cli.ts', bin: 'src/bin.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', cli: 'src/cli.ts' } },
    target: 'node20',
    platform: 'node',
    noExternal: ['@bucketry/stats'],
  }),
);
