export type { HttpAnswer, MachineMenu, TurnEvent, UssdApp, UssdAppOptions } from './app.js';
export { createUssdApp } from './app.js';
export type { Envelope } from './envelope.js';
export type { TurnOutcome } from './outcome.js';
export type { EngineMessages } from './pipeline.js';
export { defaultEngineMessages } from './pipeline.js';
export type { TurnLimits } from './plan.js';
export { tightestLimit } from './static-budget.js';
