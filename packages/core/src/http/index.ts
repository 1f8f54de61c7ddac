/** @module @rolax/ussd-core/http */
export { formFields } from '../gateways/form.js';
export { decodeGatewayBody, defaultBodyLimit, readNodeBody } from './body.js';
export type { WebHandlerOptions, WebRequestInfo } from './web-handler.js';
export { createWebHandler } from './web-handler.js';
