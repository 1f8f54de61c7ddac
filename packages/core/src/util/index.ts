export { consoleLogger, jsonLogger, silentLogger } from './logger.js';
export { maskPhone, maskSecret } from './mask.js';
