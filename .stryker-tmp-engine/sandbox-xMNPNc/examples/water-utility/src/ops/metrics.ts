// @ts-nocheck
import type { TurnEvent } from '@rolax/ussd-core';
import type { Repositories } from '../domain/ports.js';

/**
 * What an operator watches: USSD turns by outcome with latency percentiles over the recent window, and the
 * backlog of payments waiting on M-Pesa. In memory, per process, since the start.
 */
export function createServiceMetrics(o: { repos: Repositories; window?: number | undefined }) {
  const size = o.window ?? 2000;
  const durations = new Float64Array(size);
  let recorded = 0;
  const byOutcome: Record<TurnEvent['outcome'], number> = {
    ok: 0,
    replay: 0,
    stale: 0,
    capped: 0,
    timeout: 0,
    error: 0,
    busy: 0,
  };
  const startedAt = new Date().toISOString();

  const percentile = (sorted: Float64Array, p: number) =>
    sorted.length === 0
      ? null
      : Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;

  return {
    recordTurn(e: TurnEvent): void {
      durations[recorded % size] = e.ms;
      recorded++;
      byOutcome[e.outcome]++;
    },
    async snapshot() {
      const recent = durations.slice(0, Math.min(recorded, size)).sort();
      const [pending, processing] = await Promise.all([
        o.repos.payments.list({ state: 'PENDING', limit: 1000 }),
        o.repos.payments.list({ state: 'PROCESSING', limit: 1000 }),
      ]);
      return {
        since: startedAt,
        ussd: {
          turns: recorded,
          byOutcome: { ...byOutcome },
          latencyMs: {
            window: recent.length,
            p50: percentile(recent, 0.5),
            p95: percentile(recent, 0.95),
            p99: percentile(recent, 0.99),
          },
        },
        payments: { pending: pending.length, processing: processing.length },
      };
    },
  };
}
