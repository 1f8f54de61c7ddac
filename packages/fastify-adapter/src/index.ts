/** @module @rolax/ussd-fastify */
export type { UssdPluginOptions } from './plugin.js';
export { ussdPlugin } from './plugin.js';
