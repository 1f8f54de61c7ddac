// Mutation testing: `npm run test:mutation` (everything below) or `npm run test:mutation -- --mutate <glob>`
// (one folder). CI runs `scripts/mutation-changed.mjs`: only the files changed by the newest commit.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'packages/core/src/engine/**/*.ts',
    'packages/core/src/menu/**/*.ts',
    'packages/core/src/gateways/**/*.ts',
    'packages/core/src/providers/**/*.ts',
    'packages/core/src/outbox/**/*.ts',
    'examples/water-utility/src/domain/**/*.ts',
    '!**/*.test.ts',
    '!**/index.ts',
  ],
  ignorePatterns: [
    'dist',
    'data',
    'artifacts',
    'coverage',
    'reports',
    'bench',
    'docs',
    '.ci/*.json',
    '*.tgz',
    '.stryker-tmp*',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 5_000,
  // The first, unmutated run of the suite can take minutes on a busy two-core machine.
  dryRunTimeoutMinutes: 15,
  // Static mutants (module-level constants) re-run the whole suite each; they cost most of the time for little.
  ignoreStatic: true,
  thresholds: { high: 85, low: 75, break: 75 },
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
