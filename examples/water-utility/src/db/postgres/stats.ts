import type { ServiceStats } from '../../ops/stats.js';
import { num, type PgContext } from './context.js';
import { SCHEMA_VERSION } from './migrations.js';

/** The service's aggregates over PostgreSQL: the same few `count(*)` queries as SQLite's. */
export function postgresServiceStats(ctx: PgContext): ServiceStats {
  const rows = <T>(sql: string) => ctx.rows<T>(sql);
  return {
    async ping() {
      await rows('SELECT 1');
    },
    async schema() {
      const [r] = await rows<{ v: string | number }>('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations');
      return { applied: num(r?.v ?? 0), expected: SCHEMA_VERSION };
    },
    async paymentsByState() {
      const r = await rows<{ state: string; count: string }>(
        'SELECT state, count(*) AS count FROM payments GROUP BY state',
      );
      return r.map((x) => ({ state: x.state, count: num(x.count) }));
    },
    async smsByStatus() {
      const r = await rows<{ status: string; count: string }>(
        "SELECT coalesce(delivery_status, status) AS status, count(*) AS count FROM sms_log WHERE direction = 'out' GROUP BY 1",
      );
      return r.map((x) => ({ status: x.status, count: num(x.count) }));
    },
    async issuesByCategory() {
      const r = await rows<{ category: string; channel: string; count: string }>(
        'SELECT category, channel, count(*) AS count FROM issues GROUP BY category, channel',
      );
      return r.map((x) => ({ category: x.category, channel: x.channel, count: num(x.count) }));
    },
    async outbox(now) {
      const [r] = await rows<{ pending: string; failed: string; oldest: string | null; attempts: string }>(
        `SELECT
           count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           min(created_at) FILTER (WHERE status = 'pending') AS oldest,
           coalesce(sum(attempts) FILTER (WHERE status = 'pending'), 0) AS attempts
         FROM outbox`,
      );
      return {
        pending: num(r?.pending ?? 0),
        failed: num(r?.failed ?? 0),
        oldestPendingMs: r?.oldest == null ? 0 : Math.max(0, now - num(r.oldest)),
        pendingAttempts: num(r?.attempts ?? 0),
      };
    },
  };
}
