/** @module @rolax/ussd-core/testing */
// Loads under any test runner or none: the tester, the explorer and the fakes. The vitest suites are in `./vitest`.
export * from './explore.js';
export * from './fakes/index.js';
export * from './scenario-app.js';
export * from './tester.js';
