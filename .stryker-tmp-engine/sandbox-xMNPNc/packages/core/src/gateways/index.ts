// @ts-nocheck
export { africasTalkingUssd } from './africastalking.js';
export * from './africastalking-callbacks.js';
export { arkeselUssd, arkeselUssdCodec } from './arkesel.js';
export type { UssdCodec } from './codec.js';
export type { DialOptions } from './dial-string.js';
export { formFields } from './form.js';
export { hubtelUssd } from './hubtel.js';
export { naloUssd, naloUssdCodec } from './nalo.js';
export type { LatestInputTurn, PathTurn, UssdReply, UssdTurn } from './turn.js';
export { parseReply, reply } from './turn.js';
