// Mutation testing for @bucketry/core and @bucketry/http (issue #20). Not run in CI: a full
// run takes about half an hour on two cores. See mutation/README.md.
//
//   pnpm mutate                                  both packages
//   MUTATE_PACKAGES=core pnpm mutate             one package (its own report and incremental file)
//   MUTATE_PACKAGES=core pnpm mutate --mutate packages/core/src/assign.ts
//   MUTATE_PACKAGES=core-hashing pnpm mutate     core's hashing code against the tests that pin it
//   MUTATE_PACKAGES=core-model pnpm mutate       experiment.ts and unit.ts without the statistical tests
//
// Reports go to reports/mutation/<packages>/ (git-ignored), with the incremental file there too.
const only = (process.env.MUTATE_PACKAGES ?? 'core,http').split(',').map((name) => name.trim());
const tag = only.join('-');

// core's hashing code, mutated against the tests that pin it (the core-hashing project of
// mutation/vitest.config.ts) with tight timeouts: its mutants that loop forever are cut after seconds, not minutes.
const HASHING = ['xxhash32', 'utf8', 'bucket', 'seed'].map((file) => `packages/core/src/${file}.ts`);
const hashing = only.includes('core-hashing');
// experiment.ts and unit.ts run in every test: mutated without the statistical ones (the
// core-model project of mutation/vitest.config.ts).
const MODEL = ['experiment', 'unit'].map((file) => `packages/core/src/${file}.ts`);
const model = only.includes('core-model');

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
  // Its projects are the MUTATE_PACKAGES names.
  vitest: { configFile: 'mutation/vitest.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: hashing ? HASHING : model ? MODEL : only.flatMap(sources),
  // Not needed by the core and http tests; keeps the sandbox copy small.
  ignorePatterns: ['examples', 'docs', 'bench', 'packages/express', 'packages/next', 'packages/react', 'coverage'],
  concurrency: 2,
  // The machine is shared and noisy: be generous before calling a mutant a timeout.
  // For the hashing code: a mutant runs only the few tests covering it (well under a second),
  // so 5 s over 1.5 times their time cuts an endless loop fast and still leaves room for noise.
  timeoutMS: hashing ? 5_000 : 10_000,
  timeoutFactor: hashing ? 1.5 : 2,
  incremental: true,
  incrementalFile: `reports/mutation/${tag}/stryker-incremental.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${tag}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
