/** @module @rolax/ussd-express */
export type { UssdMiddlewareOptions } from './middleware.js';
export { createUssdMiddleware } from './middleware.js';
