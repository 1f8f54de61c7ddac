/** @module @rolax/ussd-core/outbox */
// The SMS outbox: every SMS is a row before it is a request. Its ports, `OutboxStore` and `SmsSender`, are here too.
export type * from '../ports/outbox.js';
export type * from '../ports/sms.js';
export * from './memory-outbox-store.js';
export * from './sms-outbox.js';
