import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

// Neutral platform: Node, edge runtimes and browsers alike (a Node built-in fails the build).
export default defineConfig(packageBuild());
