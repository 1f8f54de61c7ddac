export { africasTalkingUssd } from './africastalking.js';
export type { UssdCodec } from './africastalking.js';
export { formFields } from './form.js';
