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

/**
 * Whether a failure is one of those, also when a store wrapped it: the core's stores report the driver's error
 * as the cause of their own, so the code is looked for down the cause chain.
 */
export function isRetryable(error: unknown): boolean {
  let e = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export const isoNow = (ctx: PgContext): string => ctx.now().toISOString();

/** bigint columns arrive as strings; every one of ours fits a double exactly (cents, litres, ids). */
export const num = (v: string | number): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: string | number | null): number | null => (v === null ? null : num(v));

// One storage for every pool in the process, each transaction keyed by its context: every AsyncLocalStorage in use
// adds work to each promise created afterwards, so one per pool would slow a process that opens many.
const transactions = new AsyncLocalStorage<ReadonlyMap<object, TxScope>>();

export function createPgContext(pool: pg.Pool, now: () => Date): PgContext {
  const owner = {};
  const current = () => {
    const tx = transactions.getStore()?.get(owner);
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
        const value = await transactions.run(new Map(transactions.getStore()).set(owner, tx), fn);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        // Spread out, more each time: nodes settling the same rows at once would clash again.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 5 * 2 ** attempt)));
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
