import { defineConfig } from 'vitest/config';
import base, { inProcess, outOfProcess } from './vitest.config.js';

// The suite Stryker runs against each mutant: the in-process tests of core and the water service. Left out, as
// they cost seconds per mutant for nothing the in-process tests miss: the adapters' load tests, the CLI tests
// (they spawn processes), Redis and PostgreSQL (they start servers), the water service's end-to-end and browser
// tests.
export default defineConfig({
  resolve: base.resolve,
  test: {
    ...base.test,
    projects: undefined,
    include: inProcess,
    exclude: ['**/node_modules/**', ...outOfProcess],
    reporters: ['default'],
    // Property tests run 50 cases each here; their full counts (500 to 1200) run in `npm test`.
    env: { ...base.test?.env, PROPERTY_RUNS: '50' },
  },
});
