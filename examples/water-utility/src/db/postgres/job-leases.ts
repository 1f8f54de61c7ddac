import type { JobLeases } from '../../domain/ports.js';
import { num, type PgContext } from './context.js';

export function postgresJobLeases(ctx: PgContext): JobLeases {
  const now = () => ctx.now().getTime();
  return {
    // One statement decides: a concurrent insert of the same name waits for the first and then re-checks the
    // condition against the row it wrote, so exactly one node gets a free lease.
    tryAcquire: async (name, holder, ttlMs) => {
      const at = now();
      return (
        (await ctx.run(
          `INSERT INTO job_leases (name, holder, leased_until) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, leased_until = EXCLUDED.leased_until
           WHERE job_leases.holder = EXCLUDED.holder OR job_leases.leased_until <= $4`,
          [name, holder, at + Math.ceil(ttlMs), at],
        )) === 1
      );
    },
    renew: async (name, holder, ttlMs) =>
      (await ctx.run('UPDATE job_leases SET leased_until = $1 WHERE name = $2 AND holder = $3', [
        now() + Math.ceil(ttlMs),
        name,
        holder,
      ])) === 1,
    release: async (name, holder) => {
      await ctx.run('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, holder]);
    },
    get: async (name) => {
      const row = await ctx.one<{ holder: string; leased_until: string }>(
        'SELECT holder, leased_until FROM job_leases WHERE name = $1 AND leased_until > $2',
        [name, now()],
      );
      return row ? { holder: row.holder, until: new Date(num(row.leased_until)).toISOString() } : null;
    },
  };
}
