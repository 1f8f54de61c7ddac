// @ts-nocheck
export type { UssdMiddlewareOptions } from './middleware.js';
export { createUssdMiddleware } from './middleware.js';
