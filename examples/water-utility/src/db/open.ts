import type { Logger, SessionStore } from '@rolax/ussd-core';
import { redisSessionStore } from '@rolax/ussd-core/redis';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Repositories } from '../domain/ports.js';
import type { ServiceStats } from '../ops/stats.js';
import { createPgContext } from './postgres/context.js';
import { openPostgresRepositories } from './postgres/index.js';
import { postgresServiceStats } from './postgres/stats.js';
import { openSqliteRepositories } from './sqlite/index.js';
import { sqliteServiceStats } from './sqlite/stats.js';

export interface OpenedStorage {
  repos: Repositories;
  /** USSD sessions: Redis when REDIS_URL is set, otherwise beside the data. `dispose` closes what was opened. */
  sessions: SessionStore;
  /** Aggregates for metrics and readiness. */
  stats: ServiceStats;
  /** What the start-up log says about the storage, without credentials. */
  describe: string;
}

/** PostgreSQL when DATABASE_URL is set (several nodes), otherwise the embedded SQLite file. */
export async function openRepositories(
  config: Config,
  logger: Logger,
  now?: (() => Date) | undefined,
): Promise<OpenedStorage> {
  let repos: Repositories;
  let stats: ServiceStats;
  if (config.databaseUrl) {
    const pg = await openPostgresRepositories({
      url: config.databaseUrl,
      poolSize: config.databasePoolSize,
      onError: (err) => logger.warn({ reason: err.message }, 'database connection lost; the pool reconnects'),
      now,
    });
    repos = pg;
    stats = postgresServiceStats(createPgContext(pg.pool, now ?? (() => new Date())));
  } else {
    const sqlite = openSqliteRepositories({ file: config.databaseFile, now });
    repos = sqlite;
    stats = sqliteServiceStats(sqlite.db);
  }
  const describe = config.databaseUrl ? `postgres ${hostOf(config.databaseUrl)}` : `sqlite ${config.databaseFile}`;
  if (!config.redisUrl) return { repos, sessions: repos.sessions, stats, describe };

  const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  client.on('error', (err: Error) => logger.warn({ reason: err.message }, 'redis connection error'));
  const store = redisSessionStore({ client, prefix: 'rolax-water:' });
  return {
    repos,
    sessions: { ...store, dispose: async () => void (await client.quit().catch(() => undefined)) },
    stats,
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
