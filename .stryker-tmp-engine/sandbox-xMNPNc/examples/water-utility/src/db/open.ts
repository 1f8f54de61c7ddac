// @ts-nocheck
import { type Logger, redisSessionStore, type SessionStore } from '@rolax/ussd-core';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Repositories } from '../domain/ports.js';
import { openPostgresRepositories } from './postgres/index.js';
import { openSqliteRepositories } from './sqlite/index.js';

export interface OpenedStorage {
  repos: Repositories;
  /** USSD sessions: Redis when REDIS_URL is set, otherwise beside the data. `dispose` closes what was opened. */
  sessions: SessionStore;
  /** What the start-up log says about the storage, without credentials. */
  describe: string;
}

/** PostgreSQL when DATABASE_URL is set (several nodes), otherwise the embedded SQLite file. */
export async function openRepositories(
  config: Config,
  logger: Logger,
  now?: (() => Date) | undefined,
): Promise<OpenedStorage> {
  const repos = config.databaseUrl
    ? await openPostgresRepositories({
        url: config.databaseUrl,
        poolSize: config.databasePoolSize,
        onError: (err) => logger.warn({ reason: err.message }, 'database connection lost; the pool reconnects'),
        now,
      })
    : openSqliteRepositories({ file: config.databaseFile, now });
  const describe = config.databaseUrl ? `postgres ${hostOf(config.databaseUrl)}` : `sqlite ${config.databaseFile}`;
  if (!config.redisUrl) return { repos, sessions: repos.sessions, describe };

  const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', (err: Error) => logger.warn({ reason: err.message }, 'redis connection error'));
  const store = redisSessionStore({ client, prefix: 'rolax-water:' });
  return {
    repos,
    sessions: { ...store, dispose: async () => void (await client.quit().catch(() => undefined)) },
    describe: `${describe}, sessions in redis ${hostOf(config.redisUrl)}`,
  };
}

/** `host:port/db` of a connection URL, never its user or password. */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 'default'}${u.pathname}`;
  } catch {
    return 'configured';
  }
}
