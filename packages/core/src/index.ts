/**
 * What a menu author and an adapter author need: the menu DSL and the screen contract of hand-written machines,
 * the app and its answers, the USSD gateway codecs and turn types, the one error type, the session store port
 * with its memory store, and the loggers. Everything else has an entry of its own: `/providers` (Africa's
 * Talking SMS, IntaSend M-Pesa and their callbacks), `/outbox` (the SMS outbox), `/redis` and `/postgres`
 * (stores), `/budget` (screen budgets and GSM-7), `/menu-tools` (lint, diagram, graph), `/observe` (observers and
 * the funnel), `/prometheus`, `/opentelemetry`, `/http`, `/testing`, `/fakes`.
 *
 * @module @rolax/ussd-core
 */
export type {
  EngineMessages,
  Envelope,
  HttpAnswer,
  MachineMenu,
  TurnEvent,
  TurnLimits,
  TurnOutcome,
  TurnRequestMeta,
  UssdApp,
  UssdAppOptions,
} from './engine/index.js';
export { createUssdApp, defaultEngineMessages } from './engine/index.js';
export type { UssdErrorCode, UssdErrorOptions } from './errors.js';
export { isUssdError, UssdError } from './errors.js';
export type { DialOptions, LatestInputTurn, PathTurn, UssdCodec, UssdReply, UssdTurn } from './gateways/index.js';
export {
  africasTalkingUssd,
  arkeselUssd,
  arkeselUssdCodec,
  hubtelUssd,
  naloUssd,
  naloUssdCodec,
  parseReply,
  reply,
} from './gateways/index.js';
export type {
  Choice,
  CompiledMenu,
  EndScreen,
  InputSchema,
  Localized,
  MenuDefinition,
  MenuMessages,
  MenuScreen,
  NavigationKeys,
  PromptScreen,
  Screen,
  ScreenDef,
  ScreenLimits,
  ScreenMeta,
  ScreenOption,
  SessionInfo,
  StepResult,
  StepScreen,
  StepTools,
  Text,
} from './menu/index.js';
export { createMenu, defaultMessages, defaultNavigationKeys, pickLanguage } from './menu/index.js';
export type { Logger, SessionStore } from './ports/index.js';
export type { MemorySessionStoreOptions } from './stores/index.js';
export { memorySessionStore } from './stores/index.js';
export { consoleLogger, jsonLogger, maskPhone, maskSecret, silentLogger } from './util/index.js';
