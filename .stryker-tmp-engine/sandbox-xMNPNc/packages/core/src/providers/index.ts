// @ts-nocheck
export * from './africastalking-sms.js';
export * from './intasend.js';
export * from './payment-failure.js';
export * from './payment-state.js';
