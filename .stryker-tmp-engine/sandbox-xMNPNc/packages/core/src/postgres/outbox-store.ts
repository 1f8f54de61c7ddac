// @ts-nocheck
import { UssdError } from '../errors.js';
import type { OutboxItem, OutboxProgress, OutboxStatus, OutboxStore } from '../ports/outbox.js';
import type { SmsMessage, SmsResult } from '../ports/sms.js';
import { type PgQueryable, storeQuery, tableName } from './queryable.js';

export interface PostgresOutboxStoreOptions {
  /** A `pg.Pool` (or anything with its `query`, such as a transaction's client). The caller owns it. */
  pool: PgQueryable;
  /** Default `rolax_outbox`; create it with `postgresStoreSchema()`. */
  table?: string | undefined;
}

interface Row {
  key: string;
  seq: string;
  message: SmsMessage;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  last_error: string | null;
  result: SmsResult | null;
  progress: OutboxProgress | null;
}

const toItem = (r: Row): OutboxItem => ({
  key: r.key,
  message: r.message,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: Number(r.next_attempt_at),
  createdAt: Number(r.created_at),
  ...(r.last_error === null ? {} : { lastError: r.last_error }),
  ...(r.result === null ? {} : { result: r.result }),
  ...(r.progress === null ? {} : { progress: r.progress }),
});

/**
 * The SMS outbox in PostgreSQL, for any number of nodes. A claim picks due rows with `FOR UPDATE SKIP LOCKED` and
 * leases them in the same statement, so concurrent workers on any node never take the same item, and an item whose
 * worker died is taken again once its lease runs out.
 */
export function postgresOutboxStore(options: PostgresOutboxStoreOptions): OutboxStore {
  const { pool } = options;
  const table = tableName(options.table ?? 'rolax_outbox');
  const q = <R>(op: string, sql: string, values: unknown[]) => storeQuery<R>(pool, op, sql, values);
  // A late worker (its lease ran out) must not reopen or rewrite a settled item: only pending rows move.
  const settle = async (op: string, key: string, sql: string, values: unknown[]) => {
    const { rowCount } = await q(op, sql, [key, ...values]);
    if (rowCount > 0) return;
    const { rows } = await q('get', `SELECT 1 FROM ${table} WHERE key = $1`, [key]);
    if (rows.length === 0) throw new UssdError('STORE', `outbox item not found: ${key}`);
  };

  return {
    name: 'postgres',
    async add({ key, message, createdAt }) {
      const { rowCount } = await q(
        'add',
        `INSERT INTO ${table} (key, message, status, next_attempt_at, created_at)
         VALUES ($1, $2, 'pending', $3, $3) ON CONFLICT (key) DO NOTHING`,
        [key, JSON.stringify(message), createdAt],
      );
      return rowCount === 1;
    },
    async get(key) {
      const { rows } = await q<Row>('get', `SELECT * FROM ${table} WHERE key = $1`, [key]);
      return rows[0] ? toItem(rows[0]) : null;
    },
    async claimDue(now, limit, leaseMs) {
      if (limit <= 0) return [];
      const { rows } = await q<Row>(
        'claimDue',
        `UPDATE ${table} SET leased_until = $2 WHERE key IN (
           SELECT key FROM ${table}
           WHERE status = 'pending' AND next_attempt_at <= $1 AND leased_until <= $1
           ORDER BY created_at, seq LIMIT $3
           FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now, now + leaseMs, limit],
      );
      // RETURNING keeps no order.
      return rows
        .sort((a, b) => Number(a.created_at) - Number(b.created_at) || Number(a.seq) - Number(b.seq))
        .map(toItem);
    },
    markSent: (key, result, attempts) =>
      settle(
        'markSent',
        key,
        `UPDATE ${table} SET status = 'sent', attempts = $2, result = $3, last_error = NULL, leased_until = 0
         WHERE key = $1 AND status = 'pending'`,
        [attempts, JSON.stringify(result)],
      ),
    markRetry: (key, attempts, nextAttemptAt, error, progress) =>
      settle(
        'markRetry',
        key,
        `UPDATE ${table} SET attempts = $2, next_attempt_at = $3, last_error = $4,
           progress = COALESCE($5::jsonb, progress), leased_until = 0
         WHERE key = $1 AND status = 'pending'`,
        [attempts, nextAttemptAt, error, progress ? JSON.stringify(progress) : null],
      ),
    markFailed: (key, attempts, error, result) =>
      settle(
        'markFailed',
        key,
        `UPDATE ${table} SET status = 'failed', attempts = $2, last_error = $3,
           result = COALESCE($4::jsonb, result), leased_until = 0
         WHERE key = $1 AND status = 'pending'`,
        [attempts, error, result ? JSON.stringify(result) : null],
      ),
  };
}
