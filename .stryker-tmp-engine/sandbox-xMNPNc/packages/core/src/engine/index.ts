// @ts-nocheck
export type { HttpAnswer, MachineMenu, TurnEvent, TurnRequestMeta, UssdApp, UssdAppOptions } from './app.js';
export { createUssdApp } from './app.js';
export type { Envelope } from './envelope.js';
export type { TurnObserver, TurnPhase, TurnReport, TurnStart, TurnTracker } from './observer.js';
export { combineObservers, screenName } from './observer.js';
export type { TurnOutcome } from './outcome.js';
export type { EngineMessages } from './pipeline.js';
export { defaultEngineMessages } from './pipeline.js';
export type { TurnLimits } from './plan.js';
export { tightestLimit } from './static-budget.js';
