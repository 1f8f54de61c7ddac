// @ts-nocheck
import { defineConfig, type Options } from 'tsup';

const shared: Options = { format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'node20' };

// One build for every published package: ESM + CJS + .d.ts, dependencies left external.
export default defineConfig([
  {
    ...shared,
    name: 'core',
    entry: {
      index: 'packages/core/src/index.ts',
      testing: 'packages/core/src/testing/index.ts',
      fakes: 'packages/core/src/testing/fakes/index.ts',
      postgres: 'packages/core/src/postgres/index.ts',
      cli: 'packages/core/src/cli/main.ts',
      prometheus: 'packages/core/src/observe/prometheus.ts',
      opentelemetry: 'packages/core/src/observe/opentelemetry.ts',
    },
    outDir: 'packages/core/dist',
    // vitest stays the test author's: the contract suites and scenarios register tests with theirs.
    external: ['xstate', 'zod', 'undici', 'vitest', 'tsx', 'pg', 'prom-client', '@opentelemetry/api'],
  },
  {
    ...shared,
    name: 'express',
    entry: { index: 'packages/express-adapter/src/index.ts' },
    outDir: 'packages/express-adapter/dist',
    external: ['@rolax/ussd-core', 'express'],
  },
  {
    ...shared,
    name: 'fastify',
    entry: { index: 'packages/fastify-adapter/src/index.ts' },
    outDir: 'packages/fastify-adapter/dist',
    external: ['@rolax/ussd-core', 'fastify'],
  },
]);
