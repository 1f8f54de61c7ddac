// @ts-nocheck
import { UssdError } from '../errors.js';
import type { SessionStore } from '../ports/session-store.js';

/**
 * The few commands the store sends, in ioredis's call style; an ioredis `Redis` or `Cluster` fits as is.
 * For a connected node-redis (v4, v5) client `redis`, pass this adapter:
 * ```ts
 * const client: RedisClientLike = {
 *   get: (key) => redis.get(key),
 *   set: (key: string, value: string, unit: 'EX' | 'PX', amount: number, nx?: 'NX') =>
 *     redis.set(key, value, { [unit]: amount, ...(nx && { NX: true }) }),
 *   del: (key) => redis.del(key),
 *   eval: (script, numKeys, ...args) =>
 *     redis.eval(script, { keys: args.slice(0, numKeys), arguments: args.slice(numKeys) }),
 * };
 * ```
 */
export interface RedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, unit: 'EX', seconds: number): Promise<unknown>;
  /** Resolves to `'OK'` when it stored and `null` when the key was there. */
  set(key: string, value: string, unit: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
}

export interface RedisSessionStoreOptions {
  /** A connected client. The caller owns it: the store never connects, quits or builds one. */
  client: RedisClientLike;
  /** Prepended to every key, so one Redis can serve several apps. Default `rolax:`. */
  prefix?: string | undefined;
}

// Atomic, so a lock whose lease expired and was taken by another node is never deleted by its old holder.
const DELETE_IF_EQUALS = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Sessions in Redis, shared by every node: `setIfAbsent` is `SET NX PX`, `deleteIfEquals` a Lua compare-and-delete.
 * `dispose()` leaves the client open, since the caller created it and may share it; quit it yourself on shutdown.
 */
export function redisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const { client } = options;
  const prefix = options.prefix ?? 'rolax:';

  // Keys can hold phone numbers (the resume key), so error messages name the command only.
  const call = async <T>(command: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new UssdError('STORE', `redis ${command} failed: ${reason}`, { cause });
    }
  };

  return {
    name: 'redis',
    get: (key) => call('GET', () => client.get(prefix + key)),
    async set(key, value, ttlSeconds) {
      // EX takes whole seconds above zero; rounding up never expires a session early.
      await call('SET', () => client.set(prefix + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))));
    },
    async delete(key) {
      await call('DEL', () => client.del(prefix + key));
    },
    async setIfAbsent(key, value, ttlMs) {
      const ms = Math.max(1, Math.ceil(ttlMs));
      return (await call('SET NX', () => client.set(prefix + key, value, 'PX', ms, 'NX'))) !== null;
    },
    async deleteIfEquals(key, value) {
      return Number(await call('EVAL', () => client.eval(DELETE_IF_EQUALS, 1, prefix + key, value))) === 1;
    },
    async dispose() {
      // Nothing to free: the client belongs to the caller (several stores or apps may share it).
    },
  };
}
