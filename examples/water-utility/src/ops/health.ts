import type { GatewayResults } from './metrics.js';
import type { ServiceStats } from './stats.js';

export interface ReadinessCheck {
  ok: boolean;
  detail?: string | undefined;
}

/**
 * Ready to take traffic: the database answers, its schema is current, and the SMS outbox is moving (its oldest
 * waiting message is younger than `outboxStuckMs`). The providers' last results are reported but do not make the
 * service unready: the outbox and the reconciler carry work over a provider's outage.
 */
export async function readiness(o: {
  stats: ServiceStats;
  gateways: GatewayResults;
  outboxStuckMs: number;
  now?: (() => number) | undefined;
}) {
  const checks: Record<string, ReadinessCheck> = {};
  try {
    await o.stats.ping();
    checks.database = { ok: true };
    const schema = await o.stats.schema();
    checks.migrations =
      schema.applied === schema.expected
        ? { ok: true }
        : { ok: false, detail: `schema version ${schema.applied}, expected ${schema.expected}` };
    const outbox = await o.stats.outbox((o.now ?? Date.now)());
    checks.outbox =
      outbox.oldestPendingMs <= o.outboxStuckMs
        ? { ok: true }
        : { ok: false, detail: `oldest waiting SMS is ${Math.round(outbox.oldestPendingMs / 1000)} s old` };
  } catch (err) {
    checks.database = { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
  const failed = Object.entries(checks)
    .filter(([, c]) => !c.ok)
    .map(([name]) => name);
  return { ready: failed.length === 0, failed, checks, gateways: o.gateways };
}
