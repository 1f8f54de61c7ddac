import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobLeases } from './ports.js';

/** This process's name as a lease holder: readable in the `job_leases` table, unique per start. */
export const nodeName = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

export interface HeldLease {
  /**
   * Renews the lease once a third of it has passed since it was last taken or renewed; false once another holder
   * has taken it over (this one stalled past it), and the job should stop: the new holder carries on.
   */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** Takes the job's lease for `holder`, or null when another holder has it. */
export async function acquireJobLease(
  leases: JobLeases,
  o: { name: string; holder: string; ttlMs: number; now: () => Date },
): Promise<HeldLease | null> {
  if (!(await leases.tryAcquire(o.name, o.holder, o.ttlMs))) return null;
  let renewedAt = o.now().getTime();
  let held = true;
  return {
    async stillHeld() {
      if (!held) return false;
      const at = o.now().getTime();
      if (at - renewedAt < o.ttlMs / 3) return true;
      held = await leases.renew(o.name, o.holder, o.ttlMs);
      renewedAt = at;
      return held;
    },
    async release() {
      held = false;
      await leases.release(o.name, o.holder);
    },
  };
}
