// @ts-nocheck
import type Database from 'better-sqlite3';
import type { Executor } from './executor.js';

export interface SqliteContext {
  db: Database.Database;
  exec: Executor;
  now: () => Date;
}

export const isoNow = (ctx: SqliteContext): string => ctx.now().toISOString();
