import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

export default defineConfig(
  packageBuild({
    // esbuild drops a module-level 'use client' when bundling; frameworks with server components
    // need it at the top of the file to treat the provider and the hook as client code.
    banner: { js: "'use client';" },
  }),
);
