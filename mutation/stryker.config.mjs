// Mutation testing for @bucketry/core and @bucketry/http (issue #20). Not run in CI: a full
// run takes about half an hour on two cores. See mutation/README.md.
//
//   pnpm mutate                                  both packages
//   MUTATE_PACKAGES=core pnpm mutate             one package (its own report and incremental file)
//   MUTATE_PACKAGES=core pnpm mutate --mutate packages/core/src/assign.ts
//
// Reports go to reports/mutation/<packages>/ (git-ignored), with the incremental file there too.
const only = (process.env.MUTATE_PACKAGES ?? 'core,http').split(',').map((name) => name.trim());
const tag = only.join('-');

const sources = (name) => [
  `packages/${name}/src/**/*.ts`,
  `!packages/${name}/src/**/*.test.ts`,
  `!packages/${name}/src/test-support/**`,
  `!packages/${name}/src/**/*.d.ts`,
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'mutation/vitest.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: only.flatMap(sources),
  // Not needed by the core and http tests; keeps the sandbox copy small.
  ignorePatterns: ['examples', 'docs', 'bench', 'packages/express', 'packages/next', 'packages/react', 'coverage'],
  concurrency: 2,
  // The machine is shared and noisy: be generous before calling a mutant a timeout.
  timeoutMS: 10_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: `reports/mutation/${tag}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${tag}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
