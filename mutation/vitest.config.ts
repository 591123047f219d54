import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import type { TestProjectConfiguration } from 'vitest/config';

/**
 * The Vitest config Stryker runs (`pnpm mutate`): the core and http projects of
 * vitest.workspace.ts, and nothing else. It does not import vitest.workspace.ts because that
 * file resolves React 18 and Next.js 15 from packages that Stryker's sandbox does not copy.
 *
 * Left out, because they cannot tell a mutant apart and fail or cost minutes on Stryker's
 * instrumented sources: the bundle-size test (it measures the instrumented bundle), the tests
 * that bundle the sources and run them in Chromium or a child process (no mutant is active
 * there), and the public-API documentation tests (they read the TSDoc in the source text, which
 * the instrumenter rewrites).
 *
 * MUTATE_PACKAGES=core (or http) limits the run to one package (see stryker.config.mjs).
 */
const rootDir = fileURLToPath(new URL('..', import.meta.url));
const only = (process.env.MUTATE_PACKAGES ?? 'core,http').split(',').map((name) => name.trim());

const all: TestProjectConfiguration[] = [
  {
    test: {
      name: 'core',
      root: `${rootDir}packages/core`,
      include: ['src/**/*.test.ts'],
      exclude: [
        'src/**/*.edge.test.ts',
        'src/bundle-size.test.ts',
        'src/browser-determinism.test.ts',
        'src/xxhash32-first-call.test.ts',
        'src/public-api-docs.test.ts',
      ],
      environment: 'node',
    },
  },
  {
    // @bucketry/core from its source in this tree, not from packages/core/dist: Stryker's sandbox
    // does not copy packages/http/node_modules, so the package name would resolve through the
    // root node_modules to the working tree's dist, which may be stale or missing.
    resolve: { alias: { '@bucketry/core': `${rootDir}packages/core/src/index.ts` } },
    test: {
      name: 'http',
      root: `${rootDir}packages/http`,
      include: ['src/**/*.test.ts'],
      exclude: ['src/public-api-docs.test.ts'],
      environment: 'node',
    },
  },
];

export default defineConfig({
  test: {
    root: rootDir,
    projects: all.filter((project) => only.includes(project.test?.name ?? '')),
  },
});
