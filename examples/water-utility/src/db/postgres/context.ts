import { AsyncLocalStorage } from 'node:async_hooks';
import type { PgQueryable } from '@rolax/ussd-core/postgres';
import type pg from 'pg';

/**
 * Every query goes through here: inside `transaction` it runs on that transaction's client (tracked with
 * AsyncLocalStorage, as the repositories are shared objects), otherwise on the pool.
 */
export interface PgContext {
  /** Rows of a query. */
  rows<Row>(sql: string, values?: unknown[]): Promise<Row[]>;
  /** First row or undefined. */
  one<Row>(sql: string, values?: unknown[]): Promise<Row | undefined>;
  /** Rows changed. */
  run(sql: string, values?: unknown[]): Promise<number>;
  /** The same routing as a `PgQueryable`, for the core's stores. */
  queryable: PgQueryable;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  now: () => Date;
}

interface TxScope {
  client: pg.PoolClient;
  active: boolean;
  savepoints: number;
}

// Serialization failures and deadlocks mean "another node touched the same rows first": run the unit again.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

/** The driver's SQLSTATE says "run it again", also when a store wrapped that error in its own (as `cause`). */
function retryable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause) {
    if (RETRYABLE.has(String((e as { code?: unknown }).code))) return true;
    depth++;
  }
  return false;
}

export const isoNow = (ctx: PgContext): string => ctx.now().toISOString();

/** bigint columns arrive as strings; every one of ours fits a double exactly (cents, litres, ids). */
export const num = (v: string | number): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: string | number | null): number | null => (v === null ? null : num(v));

export function createPgContext(pool: pg.Pool, now: () => Date): PgContext {
  const scope = new AsyncLocalStorage<TxScope>();
  const current = () => {
    const tx = scope.getStore();
    // A timer started inside a transaction keeps its async context after the commit: it is outside by then.
    return tx?.active ? tx : undefined;
  };
  const query = (sql: string, values?: unknown[]) => (current()?.client ?? pool).query(sql, values);

  const transaction = async <T>(fn: () => Promise<T>): Promise<T> => {
    const outer = current();
    if (outer) {
      const name = `sp_${++outer.savepoints}`;
      await outer.client.query(`SAVEPOINT ${name}`);
      try {
        const value = await fn();
        await outer.client.query(`RELEASE SAVEPOINT ${name}`);
        return value;
      } catch (error) {
        await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    }
    // SERIALIZABLE gives every unit of work the isolation SQLite's single writer gives it, so two nodes applying
    // the same payment event cannot both see it unapplied; the loser is retried from the start.
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      const tx: TxScope = { client, active: true, savepoints: 0 };
      let broken = false;
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const value = await scope.run(tx, fn);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (!retryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      } finally {
        tx.active = false;
        client.release(broken);
      }
    }
  };

  return {
    rows: async <Row>(sql: string, values?: unknown[]) => (await query(sql, values)).rows as Row[],
    one: async <Row>(sql: string, values?: unknown[]) => (await query(sql, values)).rows[0] as Row | undefined,
    run: async (sql, values) => (await query(sql, values)).rowCount ?? 0,
    queryable: { query: (sql, values) => query(sql, values) },
    transaction,
    now,
  };
}
