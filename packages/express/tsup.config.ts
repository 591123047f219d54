import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

export default defineConfig(packageBuild({ platform: 'node' }));
