/** @module @rolax/ussd-core/http */
export { decodeGatewayBody, defaultBodyLimit, readNodeBody } from './body.js';
export type { WebHandlerOptions, WebRequestInfo } from './web-handler.js';
export { createWebHandler } from './web-handler.js';
