import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

// ESM only, for Node (pg, ioredis, node:fs). `http` is the edge-safe entry: fetch only, no Node built-ins
// (its own test builds it for the neutral platform); `bin` is the `bucketry-rollout` command (esbuild keeps its shebang).
export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', http: 'src/http.ts', cli: 'src/cli.ts', bin: 'src/bin.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', http: 'src/http.ts', cli: 'src/cli.ts' } },
    target: 'node20',
    platform: 'node',
  }),
);
