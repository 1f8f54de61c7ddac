// @ts-nocheck
export * from './contracts/index.js';
export * from './explore.js';
export * from './fakes/index.js';
export * from './scenarios.js';
export * from './session-store-contract.js';
export * from './tester.js';
