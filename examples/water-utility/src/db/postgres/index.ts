import { postgresSessionStore } from '@rolax/ussd-core/postgres';
import pg from 'pg';
import type { Repositories } from '../../domain/ports.js';
import { postgresAccounts } from './accounts.js';
import { postgresBills } from './bills.js';
import { createPgContext } from './context.js';
import { postgresCustomers } from './customers.js';
import { postgresInbound } from './inbound.js';
import { postgresIssueReports } from './issue-reports.js';
import { postgresIssues } from './issues.js';
import { postgresJobLeases } from './job-leases.js';
import { postgresMeters } from './meters.js';
import { migrate } from './migrations.js';
import { postgresOutbox } from './outbox.js';
import { postgresPayments } from './payments.js';
import { postgresPreferences } from './preferences.js';
import { postgresReadings } from './readings.js';
import { postgresSmsLog } from './sms-log.js';

export { MIGRATIONS, migrate, SCHEMA_VERSION } from './migrations.js';

export interface OpenPostgresOptions {
  /** `postgres://user:password@host:5432/database`. */
  url: string;
  /** Connections per node; default 10. */
  poolSize?: number | undefined;
  now?: (() => Date) | undefined;
  /** Told about connections that fail while idle (the database restarting); the pool replaces them. */
  onError?: ((error: Error) => void) | undefined;
}

export interface PostgresRepositories extends Repositories {
  readonly pool: pg.Pool;
}

/** Connects, brings the schema up to date (safe when several nodes start at once) and returns the repositories. */
export async function openPostgresRepositories(options: OpenPostgresOptions): Promise<PostgresRepositories> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // A dead database must fail a turn inside its deadline, not hang it.
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => options.onError?.(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return postgresRepositories(pool, { now: options.now });
}

/** Repositories over a pool whose database is migrated. */
export function postgresRepositories(
  pool: pg.Pool,
  options: { now?: (() => Date) | undefined } = {},
): PostgresRepositories {
  const ctx = createPgContext(pool, options.now ?? (() => new Date()));
  const smsLog = postgresSmsLog(ctx);
  const repos: PostgresRepositories = {
    pool,
    customers: postgresCustomers(ctx),
    accounts: postgresAccounts(ctx),
    meters: postgresMeters(ctx),
    readings: postgresReadings(ctx),
    bills: postgresBills(ctx),
    payments: postgresPayments(ctx),
    issues: postgresIssues(ctx),
    issueReports: postgresIssueReports(ctx),
    smsLog,
    inbound: postgresInbound(ctx),
    preferences: postgresPreferences(ctx),
    jobLeases: postgresJobLeases(ctx),
    outbox: postgresOutbox(ctx, smsLog),
    sessions: postgresSessionStore({ pool: ctx.queryable, table: 'ussd_sessions' }),
    // The repositories read the transaction from the async context, so `tx` is this same object.
    transaction: (fn) => ctx.transaction(() => fn(repos)),
    ping: async () => {
      await ctx.run('SELECT 1');
    },
    close: () => pool.end(),
  };
  return repos;
}
