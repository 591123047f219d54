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
];

export default projects;
