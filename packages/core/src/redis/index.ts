/** @module @rolax/ussd-core/redis */
// The session store for several nodes on Redis; the client (ioredis or node-redis) is injected.
export type { RedisClientLike, RedisSessionStoreOptions } from '../stores/redis.js';
export { redisSessionStore } from '../stores/redis.js';
