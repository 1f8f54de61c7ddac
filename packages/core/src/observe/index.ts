/** @module @rolax/ussd-core/observe */
// Watching turns: the observer interface, combining observers, the per-screen funnel. Ready observers for
// Prometheus and OpenTelemetry are in `/prometheus` and `/opentelemetry`.
export type { TurnObserver, TurnPhase, TurnReport, TurnStart, TurnTracker } from '../engine/observer.js';
export { combineObservers, screenName } from '../engine/observer.js';
export type { FunnelCounts, FunnelStage, MenuFunnel, SessionEndStatus } from './funnel.js';
export { createMenuFunnel } from './funnel.js';
