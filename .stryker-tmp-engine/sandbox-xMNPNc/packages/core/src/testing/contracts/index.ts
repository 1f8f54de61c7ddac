// @ts-nocheck
export * from './outbox-store.js';
export * from './payment-gateway.js';
export * from './sms-sender.js';
