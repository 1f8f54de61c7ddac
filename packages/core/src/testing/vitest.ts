/** @module @rolax/ussd-core/testing/vitest */
// The contract suites and adapter scenarios register tests with vitest: import them from a vitest file only.
export * from './contracts/index.js';
export * from './scenarios.js';
export * from './session-store-contract.js';
