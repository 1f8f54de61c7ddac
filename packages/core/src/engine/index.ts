export type { EngineMessages, HttpAnswer, MachineMenu, TurnEvent, UssdApp, UssdAppOptions } from './app.js';
export { createUssdApp, defaultEngineMessages } from './app.js';
export type { Envelope } from './envelope.js';
export { tightestLimit } from './static-budget.js';
export type { UssdReply, UssdTurn } from './turn.js';
export { parseReply, reply } from './turn.js';
