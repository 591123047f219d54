import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

// ESM only: its consumers are @bucketry/analyze's build (which bundles it), core's tests and @bucketry/guard.
// Neutral platform: pure arithmetic, no Node built-ins.
export default defineConfig(packageBuild({ format: ['esm'] }));
