import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.preset.ts';

// Two entries, so a browser bundle never pulls in the server SDK (node:events, async_hooks):
// `.` is the server provider, `./web` the web provider.
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', web: 'src/web.ts' } }));
