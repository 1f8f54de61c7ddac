// @ts-nocheck
export type { MemorySessionStoreOptions } from './memory.js';
export { memorySessionStore } from './memory.js';
export type { RedisClientLike, RedisSessionStoreOptions } from './redis.js';
export { redisSessionStore } from './redis.js';
