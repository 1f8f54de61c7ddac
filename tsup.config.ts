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
      cli: 'packages/core/src/cli/main.ts',
    },
    outDir: 'packages/core/dist',
    external: ['xstate', 'zod', 'undici'],
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
