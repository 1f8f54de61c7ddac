// @ts-nocheck
export type * from './logger.js';
export type * from './outbox.js';
export type * from './payments.js';
export type * from './session-store.js';
export type * from './sms.js';
