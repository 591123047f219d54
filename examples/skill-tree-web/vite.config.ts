import { defineConfig } from 'vite';

// Where the skill-tree example API listens (examples/skill-tree); the dev server and `vite
// preview` proxy /api there, so the page and the API share an origin (no CORS, and the API's
// cookies are the page's).
const api = process.env.SKILL_TREE_API ?? 'http://127.0.0.1:3000';

export default defineConfig(({ mode }) => ({
  // `--mode development` builds with React's development build: StrictMode's double renders and
  // effects, and React's warnings (the browser test uses it).
  // __SKILL_TREE_API__: where /api goes, for the page's notice when nothing answers there.
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production'), __SKILL_TREE_API__: JSON.stringify(api) },
  build: {
    rolldownOptions: {
      onwarn(warning, warn) {
        // @bucketry/react starts with 'use client' for server-component frameworks; a client-only
        // app has no server components, so dropping the directive here is right.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use client')) return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1', proxy: { '/api': api } },
  preview: { host: '127.0.0.1', proxy: { '/api': api } },
}));
