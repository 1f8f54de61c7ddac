export type { UssdCodec } from './africastalking.js';
export { africasTalkingUssd } from './africastalking.js';
export * from './africastalking-callbacks.js';
export { formFields } from './form.js';
