// @ts-nocheck
// One PostgreSQL per test file, a fresh database per test: what the PostgreSQL tests share.
import { afterAll, beforeAll } from 'vitest';
import { type LocalPostgres, startLocalPostgres } from '../../../../../scripts/postgres-server.js';
import type { TestClock } from '../test-support.js';
import { openPostgresRepositories, type PostgresRepositories } from './index.js';

export interface PostgresTestServer {
  readonly server: LocalPostgres;
  /** A fresh, migrated database. */
  repos(clock?: TestClock): Promise<PostgresRepositories>;
}

/** Starts the server before the file's tests and removes it after them. */
export function usePostgres(): PostgresTestServer {
  let server: LocalPostgres | undefined;
  beforeAll(async () => {
    server = await startLocalPostgres({ fast: true });
  }, 60_000);
  afterAll(async () => {
    await server?.destroy();
  });
  return {
    get server() {
      if (!server) throw new Error('PostgreSQL did not start');
      return server;
    },
    async repos(clock) {
      const url = await this.server.createDatabase();
      return openPostgresRepositories({ url, now: clock?.now, poolSize: 5 });
    },
  };
}
