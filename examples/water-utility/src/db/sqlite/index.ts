import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UssdError } from '@rolax/ussd-core';
import Database from 'better-sqlite3';
import type { Repositories } from '../../domain/ports.js';
import { sqliteAccounts } from './accounts.js';
import { sqliteBills } from './bills.js';
import type { SqliteContext } from './context.js';
import { sqliteCustomers } from './customers.js';
import { createExecutor } from './executor.js';
import { sqliteInbound } from './inbound.js';
import { sqliteIssueReports } from './issue-reports.js';
import { sqliteIssues } from './issues.js';
import { sqliteJobLeases } from './job-leases.js';
import { sqliteMeters } from './meters.js';
import { migrate } from './migrations.js';
import { sqliteOutbox } from './outbox.js';
import { sqlitePayments } from './payments.js';
import { sqlitePreferences } from './preferences.js';
import { sqliteReadings } from './readings.js';
import { sqliteSessionStore } from './sessions.js';
import { sqliteSmsLog } from './sms-log.js';

export { migrate, SCHEMA_VERSION } from './migrations.js';

export interface OpenSqliteOptions {
  /** Database file, created with its folder on first start; `:memory:` for tests. */
  file: string;
  now?: (() => Date) | undefined;
}

export interface SqliteRepositories extends Repositories {
  /** The underlying handle, for backups and tests. */
  readonly db: Database.Database;
}

/** Opens (creating and migrating when needed) the service database and returns its repositories. */
export function openSqliteRepositories(options: OpenSqliteOptions): SqliteRepositories {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Never wait inside SQLite (it would block the event loop): the executor retries a busy call on timers.
    db.pragma('busy_timeout = 0');
    // Durable across process crashes in WAL mode; only a power cut can lose the last commits.
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return sqliteRepositories(db, { now: options.now });
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Repositories over an open, migrated database. */
export function sqliteRepositories(
  db: Database.Database,
  options: { now?: (() => Date) | undefined } = {},
): SqliteRepositories {
  const exec = createExecutor(db);
  const ctx: SqliteContext = { db, exec, now: options.now ?? (() => new Date()) };
  const repos: SqliteRepositories = {
    db,
    customers: sqliteCustomers(ctx),
    accounts: sqliteAccounts(ctx),
    meters: sqliteMeters(ctx),
    readings: sqliteReadings(ctx),
    bills: sqliteBills(ctx),
    payments: sqlitePayments(ctx),
    issues: sqliteIssues(ctx),
    issueReports: sqliteIssueReports(ctx),
    smsLog: sqliteSmsLog(ctx),
    inbound: sqliteInbound(ctx),
    preferences: sqlitePreferences(ctx),
    jobLeases: sqliteJobLeases(ctx),
    outbox: sqliteOutbox(ctx),
    sessions: sqliteSessionStore(ctx),
    // The repositories read the transaction from the async context, so `tx` is this same object.
    transaction: (fn) => exec.transaction(() => fn(repos)),
    // Answers at once, outside the queue (calls waiting for a lock must not delay a health check): can we take
    // the write lock right now? Inside one of our own transactions we hold it already.
    ping: async () => {
      db.prepare('SELECT 1').get();
      if (db.inTransaction) return;
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
      } catch (err) {
        throw new UssdError('STORE', 'the database is locked by another process', { cause: err });
      }
    },
    close: () =>
      exec.run(() => {
        if (db.open) db.close();
      }),
  };
  return repos;
}
