import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

// Neutral platform: Next.js 15 runs it on the Edge runtime, Next.js 16 on Node.
export default defineConfig(packageBuild());
