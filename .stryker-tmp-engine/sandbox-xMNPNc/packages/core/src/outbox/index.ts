// @ts-nocheck
export * from './memory-outbox-store.js';
export * from './sms-outbox.js';
