import type Database from 'better-sqlite3';
import type { ServiceStats } from '../../ops/stats.js';
import { SCHEMA_VERSION } from './migrations.js';

/** The service's aggregates over SQLite: a handful of indexed `count(*)` queries, prepared once. */
export function sqliteServiceStats(db: Database.Database): ServiceStats {
  const q = {
    ping: db.prepare('SELECT 1'),
    payments: db.prepare('SELECT state, count(*) AS count FROM payments GROUP BY state'),
    sms: db.prepare(
      "SELECT coalesce(delivery_status, status) AS status, count(*) AS count FROM sms_log WHERE direction = 'out' GROUP BY 1",
    ),
    issues: db.prepare('SELECT category, channel, count(*) AS count FROM issues GROUP BY category, channel'),
    outbox: db.prepare(
      `SELECT
         coalesce(sum(status = 'pending'), 0) AS pending,
         coalesce(sum(status = 'failed'), 0) AS failed,
         min(CASE WHEN status = 'pending' THEN created_at END) AS oldest,
         coalesce(sum(CASE WHEN status = 'pending' THEN attempts END), 0) AS attempts
       FROM outbox`,
    ),
  };
  return {
    async ping() {
      q.ping.get();
    },
    async schema() {
      return { applied: db.pragma('user_version', { simple: true }) as number, expected: SCHEMA_VERSION };
    },
    async paymentsByState() {
      return q.payments.all() as { state: string; count: number }[];
    },
    async smsByStatus() {
      return q.sms.all() as { status: string; count: number }[];
    },
    async issuesByCategory() {
      return q.issues.all() as { category: string; channel: string; count: number }[];
    },
    async outbox(now) {
      const r = q.outbox.get() as { pending: number; failed: number; oldest: number | null; attempts: number };
      return {
        pending: r.pending,
        failed: r.failed,
        oldestPendingMs: r.oldest === null ? 0 : Math.max(0, now - r.oldest),
        pendingAttempts: r.attempts,
      };
    },
  };
}
