export type { MemorySessionStoreOptions } from './memory.js';
export { memorySessionStore } from './memory.js';
