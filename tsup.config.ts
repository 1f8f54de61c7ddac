import { defineConfig, type Options } from 'tsup';

// No source maps in the tarballs: without the sources beside them they only add weight. `clean` is off because
// the builds share folders; `npm run build` empties them first.
const coreEntries = {
  index: 'packages/core/src/index.ts',
  http: 'packages/core/src/http/index.ts',
  testing: 'packages/core/src/testing/index.ts',
  'testing-vitest': 'packages/core/src/testing/vitest.ts',
  fakes: 'packages/core/src/testing/fakes/index.ts',
  postgres: 'packages/core/src/postgres/index.ts',
  prometheus: 'packages/core/src/observe/prometheus.ts',
  opentelemetry: 'packages/core/src/observe/opentelemetry.ts',
  providers: 'packages/core/src/providers/index.ts',
  outbox: 'packages/core/src/outbox/index.ts',
  redis: 'packages/core/src/redis/index.ts',
  budget: 'packages/core/src/budget/index.ts',
  'menu-tools': 'packages/core/src/menu-tools/index.ts',
  observe: 'packages/core/src/observe/index.ts',
};

const shared: Options = { format: ['esm', 'cjs'], dts: true, sourcemap: false, clean: false, target: 'node20' };

// One build for every published package: ESM + CJS + .d.ts, dependencies left external.
export default defineConfig([
  {
    ...shared,
    name: 'core',
    // The command shares the engine's chunks; it needs no types, and scripts/build.mjs drops its CJS twin.
    entry: { ...coreEntries, cli: 'packages/core/src/cli/main.ts' },
    dts: { entry: coreEntries },
    outDir: 'packages/core/dist',
    // Shared chunks in both formats: `testing` and `http` reuse the engine `index` loads instead of a copy.
    splitting: true,
    // vitest stays the test author's: the contract suites and scenarios register tests with theirs.
    external: ['xstate', 'zod', 'undici', 'vitest', 'jiti', 'pg', 'prom-client', '@opentelemetry/api'],
  },
  {
    ...shared,
    name: 'express',
    entry: { index: 'packages/express-adapter/src/index.ts' },
    outDir: 'packages/express-adapter/dist',
    external: ['@rolax/ussd-core', '@rolax/ussd-core/http', 'express'],
  },
  {
    ...shared,
    name: 'fastify',
    entry: { index: 'packages/fastify-adapter/src/index.ts' },
    outDir: 'packages/fastify-adapter/dist',
    external: ['@rolax/ussd-core', '@rolax/ussd-core/http', 'fastify'],
  },
]);
