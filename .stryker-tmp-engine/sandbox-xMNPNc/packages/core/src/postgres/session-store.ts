// @ts-nocheck
import type { SessionStore } from '../ports/session-store.js';
import { type PgQueryable, storeQuery, tableName } from './queryable.js';

export interface PostgresSessionStoreOptions {
  /** A `pg.Pool` (or anything with its `query`). The caller owns it and ends it. */
  pool: PgQueryable;
  /** Default `rolax_sessions`; create it with `postgresStoreSchema()`. */
  table?: string | undefined;
  /** Clock for expiry, epoch ms; default Date.now. Nodes sharing a table should keep their clocks in sync (NTP). */
  now?: (() => number) | undefined;
}

/**
 * Sessions in PostgreSQL, shared by every node on the database. `setIfAbsent` is one upsert that takes over only
 * an expired row, so concurrent contenders serialize on the row lock and exactly one wins. Expired rows are
 * ignored on read and swept now and then on write.
 */
export function postgresSessionStore(options: PostgresSessionStoreOptions): SessionStore {
  const { pool } = options;
  const table = tableName(options.table ?? 'rolax_sessions');
  const now = options.now ?? Date.now;
  const q = <Row>(op: string, sql: string, values: unknown[]) => storeQuery<Row>(pool, op, sql, values);
  let writes = 0;
  const sweep = async (at: number) => {
    if (++writes % 500 === 0) await q('sweep', `DELETE FROM ${table} WHERE expires_at <= $1`, [at]);
  };

  return {
    name: 'postgres',
    async get(key) {
      const { rows } = await q<{ value: string }>(
        'get',
        `SELECT value FROM ${table} WHERE key = $1 AND expires_at > $2`,
        [key, now()],
      );
      return rows[0]?.value ?? null;
    },
    async set(key, value, ttlSeconds) {
      const at = now();
      await q(
        'set',
        `INSERT INTO ${table} (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
        [key, value, Math.ceil(at + ttlSeconds * 1000)],
      );
      await sweep(at);
    },
    async delete(key) {
      await q('delete', `DELETE FROM ${table} WHERE key = $1`, [key]);
    },
    async setIfAbsent(key, value, ttlMs) {
      const at = now();
      const { rowCount } = await q(
        'setIfAbsent',
        `INSERT INTO ${table} AS t (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE t.expires_at <= $4`,
        [key, value, Math.ceil(at + ttlMs), at],
      );
      return rowCount === 1;
    },
    async deleteIfEquals(key, value) {
      const { rowCount } = await q('deleteIfEquals', `DELETE FROM ${table} WHERE key = $1 AND value = $2`, [
        key,
        value,
      ]);
      return rowCount === 1;
    },
    async dispose() {
      // Nothing to free: the pool belongs to the caller.
    },
  };
}
