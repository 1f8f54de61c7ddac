import { AsyncLocalStorage } from 'node:async_hooks';
import { UssdError } from '@rolax/ussd-core';
import type Database from 'better-sqlite3';
import { turnSignal } from '../../domain/turn-signal.js';

/**
 * How long one call may wait for another process's write lock. better-sqlite3 is synchronous, so SQLite's own
 * busy timeout would block the event loop (health checks, turn deadlines, everything); instead the busy timeout
 * is zero and a busy call is retried on timers until this much time after it was queued, then fails.
 */
export const BUSY_WAIT_MS = 2000;

const isBusy = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
};

const busyError = (cause?: unknown) =>
  new UssdError('STORE', 'the database is locked by another process; try again shortly', { cause });

/** Runs `fn`, retrying while the database is busy, never starting after `deadline`. */
async function whenFree<T>(fn: () => T, deadline: number): Promise<T> {
  for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
    if (Date.now() > deadline) throw busyError();
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() + delay > deadline) throw busyError(err);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Refuses to go on once the turn this work belongs to has given up (the customer was told it failed). */
function checkTurn(): void {
  const signal = turnSignal();
  if (signal?.aborted) throw new UssdError('TURN_TIMEOUT', 'the turn was abandoned; nothing is recorded');
}

/**
 * better-sqlite3 is synchronous and has one connection, while the repositories are async. Without care, a
 * statement of one request could land inside another request's open transaction (both share the connection and
 * interleave at every `await`). So every call goes through one queue, and a transaction holds the queue until it
 * settles; calls made from inside the transaction (tracked with AsyncLocalStorage) run straight away.
 */
export interface Executor {
  run<T>(fn: () => T): Promise<T>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

interface TxScope {
  active: boolean;
  savepoints: number;
}

// One storage for every database in the process, each transaction keyed by its executor. Every AsyncLocalStorage in
// use adds work to each promise created afterwards (Node 20 propagates each one's store), so one per database
// slowed every later turn of a process that opens many (tests, scripts) several times over.
const transactions = new AsyncLocalStorage<ReadonlyMap<object, TxScope>>();

export function createExecutor(db: Database.Database): Executor {
  const owner = {};
  let tail: Promise<unknown> = Promise.resolve();

  const exclusive = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const result = tail.then(fn);
    tail = result.catch(() => undefined);
    return result;
  };

  const inside = () => {
    const current = transactions.getStore()?.get(owner);
    // A timer started inside a transaction keeps its async context after the commit: it is outside by then.
    return current?.active ? current : undefined;
  };

  return {
    run(fn) {
      if (inside()) return Promise.resolve().then(fn);
      const deadline = Date.now() + BUSY_WAIT_MS;
      return exclusive(() => whenFree(fn, deadline));
    },
    transaction(fn) {
      const outer = inside();
      if (outer) {
        const name = `sp_${++outer.savepoints}`;
        return (async () => {
          db.exec(`SAVEPOINT ${name}`);
          try {
            const value = await fn();
            db.exec(`RELEASE ${name}`);
            return value;
          } catch (error) {
            db.exec(`ROLLBACK TO ${name}`);
            db.exec(`RELEASE ${name}`);
            throw error;
          }
        })();
      }
      const deadline = Date.now() + BUSY_WAIT_MS;
      return exclusive(async () => {
        checkTurn();
        // IMMEDIATE takes the write lock up front, so a second process on the same file is waited for here
        // instead of failing half-way with SQLITE_BUSY.
        await whenFree(() => db.exec('BEGIN IMMEDIATE'), deadline);
        const tx: TxScope = { active: true, savepoints: 0 };
        return transactions.run(new Map(transactions.getStore()).set(owner, tx), async () => {
          try {
            const value = await fn();
            // The last moment to give up: after this the change is recorded.
            checkTurn();
            db.exec('COMMIT');
            return value;
          } catch (error) {
            if (db.inTransaction) db.exec('ROLLBACK');
            throw error;
          } finally {
            tx.active = false;
          }
        });
      });
    },
  };
}
