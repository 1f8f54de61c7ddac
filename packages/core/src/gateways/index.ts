export { africasTalkingUssd } from './africastalking.js';
export * from './africastalking-callbacks.js';
export type { UssdCodec } from './codec.js';
export { formFields } from './form.js';
