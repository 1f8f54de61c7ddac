import type { JobLeases } from '../../domain/ports.js';
import type { SqliteContext } from './context.js';

export function sqliteJobLeases(ctx: SqliteContext): JobLeases {
  const { db, exec } = ctx;
  // One statement decides, so two processes asking at once cannot both get the lease.
  const take = db.prepare<{ name: string; holder: string; until: number; now: number }>(
    `INSERT INTO job_leases (name, holder, leased_until) VALUES (@name, @holder, @until)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, leased_until = excluded.leased_until
     WHERE job_leases.holder = excluded.holder OR job_leases.leased_until <= @now`,
  );
  const extend = db.prepare<[number, string, string]>(
    'UPDATE job_leases SET leased_until = ? WHERE name = ? AND holder = ?',
  );
  const drop = db.prepare<[string, string]>('DELETE FROM job_leases WHERE name = ? AND holder = ?');
  const read = db.prepare<[string, number], { holder: string; leased_until: number }>(
    'SELECT holder, leased_until FROM job_leases WHERE name = ? AND leased_until > ?',
  );
  const now = () => ctx.now().getTime();
  return {
    tryAcquire: (name, holder, ttlMs) =>
      exec.run(() => {
        const at = now();
        return take.run({ name, holder, until: at + Math.ceil(ttlMs), now: at }).changes === 1;
      }),
    renew: (name, holder, ttlMs) => exec.run(() => extend.run(now() + Math.ceil(ttlMs), name, holder).changes === 1),
    release: (name, holder) =>
      exec.run(() => {
        drop.run(name, holder);
      }),
    get: (name) =>
      exec.run(() => {
        const row = read.get(name, now());
        return row ? { holder: row.holder, until: new Date(row.leased_until).toISOString() } : null;
      }),
  };
}
