import { isUssdError, type Logger } from '@rolax/ussd-core';
import type { PaymentGateway } from '@rolax/ussd-core/providers';
import { acquireJobLease, nodeName } from './job-lease.js';
import type { Payment } from './model.js';
import type { PaymentService } from './payments.js';
import type { Repositories } from './ports.js';

export interface ReconcilerOptions {
  repos: Repositories;
  payments: PaymentService;
  gateway: PaymentGateway;
  logger: Logger;
  /** A payment is asked about once it has waited this long for its webhook. Default 2 minutes. */
  quietForMs?: number | undefined;
  /** Called when a check brought a payment to its final state (its SMS is queued). */
  onFinal?: (() => void) | undefined;
  /** Told what each run came to, or that it failed: for metrics. */
  onRun?: ((result: ReconcileResult | 'failed') => void) | undefined;
  now?: (() => Date) | undefined;
  /** This node's name as a holder of the reconciliation lease. */
  node?: string | undefined;
  /**
   * How long the lease lasts after the holder's last run or renewal. Default 150 s: the holder's next run (each
   * minute) extends it, and when the holder dies another node takes the work over within about three minutes.
   */
  leaseMs?: number | undefined;
}

/** The lease one node holds while it is the one reconciling. */
export const RECONCILE_JOB = 'payments.reconcile';

/** What a run came to; `ran` is false when another node holds the lease and this one left the work to it. */
export interface ReconcileResult {
  ran: boolean;
  checked: number;
  settled: number;
  expired: number;
}

/**
 * Webhooks are the fast path; this is the safety net. Payments still waiting after a quiet period are asked
 * about through the provider's status call and the answer goes through the same monotonic apply, so a webhook
 * that never arrives (our endpoint was down past the provider's retries) still settles the payment once.
 *
 * On several nodes one of them holds the job's lease and does the asking, so the provider is asked once per
 * payment, not once per node. The lease only saves work: a holder that stalls past it may apply an answer another
 * node applied already, which the monotonic apply (one transaction, final states never move) makes a no-op.
 */
export function createPaymentReconciler(o: ReconcilerOptions) {
  const quietForMs = o.quietForMs ?? 120_000;
  const now = o.now ?? (() => new Date());
  const leaseMs = o.leaseMs ?? 150_000;
  const node = o.node ?? nodeName();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function waiting(): Promise<Payment[]> {
    const cutoff = now().getTime() - quietForMs;
    const [pending, processing] = await Promise.all([
      o.repos.payments.list({ state: 'PENDING', limit: 200 }),
      o.repos.payments.list({ state: 'PROCESSING', limit: 200 }),
    ]);
    return [...pending, ...processing].filter((p) => p.providerId && Date.parse(p.updatedAt) <= cutoff);
  }

  async function runOnce(): Promise<ReconcileResult> {
    const lease = await acquireJobLease(o.repos.jobLeases, { name: RECONCILE_JOB, holder: node, ttlMs: leaseMs, now });
    if (!lease) {
      const skipped = { ran: false, checked: 0, settled: 0, expired: 0 };
      o.onRun?.(skipped);
      return skipped;
    }
    // Checked before each payment: a node that stalled past its lease stops, the new holder carries on.
    let lost = false;
    const mayGoOn = async () => {
      if (!lost && !(await lease.stillHeld())) {
        lost = true;
        o.logger.warn({}, 'another node took payment reconciliation over; this run stops');
      }
      return !lost;
    };
    let expired = 0;
    for (const p of await o.payments.unknownOverdue()) {
      if (!(await mayGoOn())) break;
      if (await o.payments.expireUnknown(p.reference)) expired++;
    }
    if (expired > 0) {
      o.logger.warn({ expired }, 'payments with an unknown push outcome expired; payers told by SMS');
      o.onFinal?.();
    }
    let settled = 0;
    const due = o.gateway.status ? await waiting() : [];
    let checked = 0;
    for (const p of due) {
      if (!(await mayGoOn())) break;
      checked++;
      try {
        const event = await o.gateway.status!(p.providerId!, { signal: AbortSignal.timeout(10_000) });
        const result = await o.payments.applyPaymentEvent(event);
        if (result.becameFinal) {
          settled++;
          o.onFinal?.();
        }
      } catch (err) {
        o.logger.warn(
          { reference: p.reference, code: isUssdError(err) ? err.code : undefined },
          'payment status check failed',
        );
      }
    }
    if (checked > 0) o.logger.info({ checked, settled }, 'payments reconciled');
    const result = { ran: true, checked, settled, expired };
    o.onRun?.(result);
    return result;
  }

  return {
    runOnce,
    start(intervalMs = 60_000) {
      timer ??= setInterval(() => {
        running ??= runOnce()
          .catch((err: unknown) => {
            o.onRun?.('failed');
            o.logger.error({ err }, 'payment reconciliation failed');
          })
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    /** Stops the timer, waits for a run in progress and hands the lease back, so another node takes over at once. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      await o.repos.jobLeases.release(RECONCILE_JOB, node);
    },
  };
}
