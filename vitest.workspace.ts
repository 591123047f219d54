import type { TestProjectConfiguration } from 'vitest/config';

/**
 * The one list of test projects. The root vitest.config.ts reads it (Vitest 4 no longer
 * picks up a workspace file by itself).
 */
export const projects: TestProjectConfiguration[] = [
  {
    test: {
      name: 'core',
      root: './packages/core',
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.edge.test.ts'],
      environment: 'node',
    },
  },
  {
    // The same engine under the edge runtime: no Node built-ins, no Buffer.
    test: {
      name: 'core-edge',
      root: './packages/core',
      include: ['src/**/*.edge.test.ts'],
      environment: 'edge-runtime',
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
    // The HTTP rules @bucketry/express and @bucketry/next share.
    test: {
      name: 'http',
      root: './packages/http',
      include: ['src/**/*.test.ts'],
      environment: 'node',
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
];

export default projects;
