/** @module @rolax/ussd-core/providers */
// The providers' clients and the parsers of their callbacks: Africa's Talking SMS (incoming messages, delivery
// reports, USSD session ends), IntaSend M-Pesa payments, payment states and failure texts.
export * from '../gateways/africastalking-callbacks.js';
export type * from '../ports/payments.js';
export * from './africastalking-sms.js';
export * from './intasend.js';
export * from './payment-failure.js';
export * from './payment-state.js';
