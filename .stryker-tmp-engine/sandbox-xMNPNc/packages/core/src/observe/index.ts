// @ts-nocheck
export type { FunnelCounts, FunnelStage, MenuFunnel, SessionEndStatus } from './funnel.js';
export { createMenuFunnel } from './funnel.js';
