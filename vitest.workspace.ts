import { configDefaults, type TestProjectConfiguration } from 'vitest/config';
import { chromiumPath } from './scripts/chromium-path.mjs';
import { react18Aliases } from './packages/react/react18/aliases.ts';
import { next15ServerAlias, refuseNodeBuiltins } from './packages/next/src/test-support/edge-project.ts';

/**
 * The one list of test projects. The root vitest.config.ts reads it (Vitest 4 no longer
 * picks up a workspace file by itself).
 */
const projectList: TestProjectConfiguration[] = [
  {
    test: {
      name: 'core',
      root: './packages/core',
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.edge.test.ts'],
      environment: 'node',
      // Property tests run thousands of cases: seconds on a quiet machine, several times that on a
      // loaded 2-core one (the lone-surrogate hash test took 5.6 s against Vitest's 5 s default).
      testTimeout: 60_000,
    },
  },
  {
    // The same engine under the edge runtime: no Node built-ins, no Buffer.
    test: {
      name: 'core-edge',
      root: './packages/core',
      include: ['src/**/*.edge.test.ts'],
      environment: 'edge-runtime',
      testTimeout: 60_000,
    },
  },
  {
    test: {
      name: 'analyze',
      root: './packages/analyze',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    // @bucketry/stats: the statistics @bucketry/analyze bundles, checked against SciPy (fixtures/make_reference.py).
    test: {
      name: 'stats',
      root: './packages/stats',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    // @bucketry/live: its stores and sources against the real PostgreSQL and Redis (scripts/ensure-services.mjs).
    test: {
      name: 'live',
      root: './packages/live',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  },
  {
    // @bucketry/guard: the rollout monitor, its event sources and locks against the real PostgreSQL and Redis.
    test: {
      name: 'guard',
      root: './packages/guard',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 60_000,
    },
  },
  {
    // @bucketry/openfeature with the real OpenFeature SDKs (server and web), a live file source, and
    // the web provider under @openfeature/react-sdk in Debian's Chromium.
    test: {
      name: 'openfeature',
      root: './packages/openfeature',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  },
  {
    // The HTTP rules @bucketry/express and @bucketry/next share.
    test: {
      name: 'http',
      root: './packages/http',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    // @bucketry/next with real NextRequest / NextResponse from Next.js 16, on Node.
    test: {
      name: 'next',
      root: './packages/next',
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.edge.test.ts'],
      environment: 'node',
    },
  },
  {
    // The same package on the Edge runtime with Next.js 15's next/server; a Node built-in
    // imported by @bucketry/next, http or core fails the run.
    plugins: [refuseNodeBuiltins()],
    resolve: { alias: next15ServerAlias },
    test: {
      name: 'next-edge',
      root: './packages/next',
      include: ['src/**/*.edge.test.ts'],
      environment: 'edge-runtime',
    },
  },
  {
    // examples/next-app (driven in Debian's Chromium) and the app of @bucketry/next's README: each built
    // once with `next build` and served with `next start` on 127.0.0.1.
    test: {
      name: 'next-app-e2e',
      root: './examples/next-app',
      include: ['e2e/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 180_000,
    },
  },
  {
    // Express 4 and 5, each on a real server on 127.0.0.1.
    test: {
      name: 'express',
      root: './packages/express',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    // @bucketry/react against React 19: provider, hook, StrictMode, SSR + hydration (jsdom).
    test: {
      name: 'react',
      root: './packages/react',
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
      environment: 'jsdom',
      provide: { reactMajor: 19 },
      setupFiles: ['./src/test-support/cleanup.ts'],
    },
  },
  {
    // The same React tests against React 18 (packages/react/react18 holds React 18 and a Testing Library bound to it).
    resolve: { alias: react18Aliases },
    test: {
      name: 'react18',
      root: './packages/react',
      include: ['src/**/*.test.tsx'],
      environment: 'jsdom',
      provide: { reactMajor: 18 },
      setupFiles: ['./src/test-support/cleanup.ts'],
    },
  },
  {
    // The Vite + React client of the skill-tree example, built and driven in Debian's Chromium against the example API.
    test: {
      name: 'skill-tree-web',
      root: './examples/skill-tree-web',
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**'],
      environment: 'node',
      testTimeout: 90_000,
      hookTimeout: 90_000,
    },
  },
  {
    // The runnable example, started as a child process.
    test: {
      name: 'skill-tree-example',
      root: './examples/skill-tree',
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**'],
      environment: 'node',
      testTimeout: 30_000,
    },
  },
  {
    // `pnpm demo` and `pnpm docs` run as a new user would, and every command in the guides
    // and runbooks (docs/**/*.md) run against the real example API.
    test: {
      name: 'docs',
      root: '.',
      include: ['scripts/**/*.test.ts', 'docs/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 60_000,
    },
  },
];

// Without a browser (a Mac without Chrome, say), the browser tests are left out rather than failing
// every run; scripts/ensure-test-tools.mjs says so. In CI a browser is required: they always run.
const leaveOutBrowserTests = chromiumPath() === undefined && !process.env.CI;

/** The projects, with `*.browser.test.ts` left out when no browser is found outside CI. */
export const projects: TestProjectConfiguration[] = leaveOutBrowserTests
  ? projectList.map((project) =>
      typeof project === 'object' && !(project instanceof Promise) && project.test
        ? { ...project, test: { ...project.test, exclude: [...(project.test.exclude ?? configDefaults.exclude), '**/*.browser.test.ts'] } }
        : project,
    )
  : projectList;

export default projects;
