/** @module @rolax/ussd-core/fakes */
export * from './fake-africastalking.js';
export type { FakeReply, FakeRequest, FakeRequestLog, FakeServerControls } from './fake-http-server.js';
export * from './fake-intasend.js';
export * from './webhook-receiver.js';
