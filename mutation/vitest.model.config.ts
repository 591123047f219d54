import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The Vitest config for mutating experiment.ts and unit.ts (`MUTATE_PACKAGES=core-model pnpm
 * mutate`): defineExperiment's checks and plan, and a unit's key and bytes.
 *
 * Both run in every core test, so with the whole suite each mutant ran the statistical tests too
 * (100,000 to 1,000,000 assignments each): more than an hour for these two files alone. This
 * config runs every core test but the statistical files (independence, experiment-set,
 * multivariate, layer: they measure how other modules spread units). assign.test.ts runs whole,
 * its uniformity tests included: Stryker's vitest runner picks tests by name itself, so a
 * testNamePattern here is overridden; testTimeout is raised for them instead, as the machine is
 * loaded and a timeout in the initial run stops Stryker. What is left pins these files: config
 * validation (experiment-config, assign's `defineExperiment validation`, spec vectors'
 * invalidConfigs), the plan (spec vectors' plans and 802 cases, bucket boundaries, precedence),
 * the units (unit.test.ts, spec vectors' units).
 *
 * Fewer tests can only kill fewer mutants: the score is a lower bound, and each survivor is
 * re-run against the whole suite (`MUTATE_PACKAGES=core pnpm mutate --mutate <file>:<line>`)
 * before it is called equivalent or gets a test.
 */
const rootDir = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root: rootDir,
    projects: [
      {
        test: {
          name: 'core-model',
          root: `${rootDir}packages/core`,
          include: ['src/**/*.test.ts'],
          exclude: [
            // as in vitest.config.ts: cannot tell mutants apart on instrumented code
            'src/**/*.edge.test.ts',
            'src/bundle-size.test.ts',
            'src/browser-determinism.test.ts',
            'src/public-api-docs.test.ts',
            // statistical: how other modules spread 20,000-100,000 units
            'src/independence.test.ts',
            'src/experiment-set.test.ts',
            'src/multivariate.test.ts',
            'src/layer.test.ts',
          ],
          testTimeout: 60_000,
          environment: 'node',
        },
      },
    ],
  },
});
