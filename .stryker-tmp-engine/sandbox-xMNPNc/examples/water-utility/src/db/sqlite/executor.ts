// @ts-nocheck
import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';

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

export function createExecutor(db: Database.Database): Executor {
  const scope = new AsyncLocalStorage<TxScope>();
  let tail: Promise<unknown> = Promise.resolve();

  const exclusive = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const result = tail.then(fn);
    tail = result.catch(() => undefined);
    return result;
  };

  const inside = () => {
    const current = scope.getStore();
    // A timer started inside a transaction keeps its async context after the commit: it is outside by then.
    return current?.active ? current : undefined;
  };

  return {
    run(fn) {
      if (inside()) return Promise.resolve().then(fn);
      return exclusive(fn);
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
      return exclusive(() => {
        const tx: TxScope = { active: true, savepoints: 0 };
        return scope.run(tx, async () => {
          // IMMEDIATE takes the write lock up front, so a second process on the same file waits instead of
          // failing half-way with SQLITE_BUSY.
          db.exec('BEGIN IMMEDIATE');
          try {
            const value = await fn();
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
