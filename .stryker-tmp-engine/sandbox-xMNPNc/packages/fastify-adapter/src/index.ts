// @ts-nocheck
export type { UssdPluginOptions } from './plugin.js';
export { ussdPlugin } from './plugin.js';
