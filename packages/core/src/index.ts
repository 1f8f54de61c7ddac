/** @module @rolax/ussd-core */
export * from './engine/index.js';
export * from './errors.js';
export * from './gateways/index.js';
export * from './menu/index.js';
export * from './observe/index.js';
export * from './outbox/index.js';
export type * from './ports/index.js';
export * from './providers/index.js';
export * from './stores/index.js';
export * from './util/index.js';
