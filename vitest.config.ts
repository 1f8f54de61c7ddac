import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Tests that run inside the test process: no servers started, no processes spawned. */
export const inProcess = ['packages/core/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'];
/** Under those folders, the tests that start servers or spawn processes. */
export const outOfProcess = [
  'packages/core/src/cli/**/*.test.ts',
  'packages/core/src/stores/redis.test.ts',
  'packages/core/src/postgres/**/*.test.ts',
  'examples/water-utility/src/db/postgres/**/*.test.ts',
];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@rolax\/ussd-core\/testing\/vitest$/, replacement: src('./packages/core/src/testing/vitest.ts') },
      { find: /^@rolax\/ussd-core\/http$/, replacement: src('./packages/core/src/http/index.ts') },
      { find: /^@rolax\/ussd-core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
      { find: /^@rolax\/ussd-core\/fakes$/, replacement: src('./packages/core/src/testing/fakes/index.ts') },
      { find: /^@rolax\/ussd-core\/prometheus$/, replacement: src('./packages/core/src/observe/prometheus.ts') },
      {
        find: /^@rolax\/ussd-core\/opentelemetry$/,
        replacement: src('./packages/core/src/observe/opentelemetry.ts'),
      },
      { find: /^@rolax\/ussd-core\/postgres$/, replacement: src('./packages/core/src/postgres/index.ts') },
      { find: /^@rolax\/ussd-core\/providers$/, replacement: src('./packages/core/src/providers/index.ts') },
      { find: /^@rolax\/ussd-core\/outbox$/, replacement: src('./packages/core/src/outbox/index.ts') },
      { find: /^@rolax\/ussd-core\/redis$/, replacement: src('./packages/core/src/redis/index.ts') },
      { find: /^@rolax\/ussd-core\/budget$/, replacement: src('./packages/core/src/budget/index.ts') },
      { find: /^@rolax\/ussd-core\/menu-tools$/, replacement: src('./packages/core/src/menu-tools/index.ts') },
      { find: /^@rolax\/ussd-core\/observe$/, replacement: src('./packages/core/src/observe/index.ts') },
      { find: /^@rolax\/ussd-core$/, replacement: src('./packages/core/src/index.ts') },
      { find: /^@rolax\/ussd-express$/, replacement: src('./packages/express-adapter/src/index.ts') },
      { find: /^@rolax\/ussd-fastify$/, replacement: src('./packages/fastify-adapter/src/index.ts') },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './scripts/summary-reporter.ts'],
    // Two projects that between them hold every test file once. Starting a fresh process for each file cost more
    // than the tests themselves for the in-process unit tests, so those share their workers; the rest (servers,
    // spawned processes, PostgreSQL, Redis, browsers) keep a process each.
    projects: [
      {
        extends: true,
        test: {
          name: 'in-process',
          include: inProcess,
          exclude: ['**/node_modules/**', ...outOfProcess],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          include: [
            'scripts/**/*.test.ts',
            'packages/!(core)/src/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
            ...outOfProcess,
          ],
        },
      },
    ],
  },
});
