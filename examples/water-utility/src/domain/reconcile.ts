import { isUssdError, type Logger } from '@rolax/ussd-core';
import type { PaymentGateway } from '@rolax/ussd-core/providers';
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
  onRun?: ((result: { checked: number; settled: number; expired: number } | 'failed') => void) | undefined;
  now?: (() => Date) | undefined;
}

/**
 * Webhooks are the fast path; this is the safety net. Payments still waiting after a quiet period are asked
 * about through the provider's status call and the answer goes through the same monotonic apply, so a webhook
 * that never arrives (our endpoint was down past the provider's retries) still settles the payment once.
 */
export function createPaymentReconciler(o: ReconcilerOptions) {
  const quietForMs = o.quietForMs ?? 120_000;
  const now = o.now ?? (() => new Date());
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

  async function runOnce(): Promise<{ checked: number; settled: number; expired: number }> {
    let expired = 0;
    for (const p of await o.payments.unknownOverdue()) {
      if (await o.payments.expireUnknown(p.reference)) expired++;
    }
    if (expired > 0) {
      o.logger.warn({ expired }, 'payments with an unknown push outcome expired; payers told by SMS');
      o.onFinal?.();
    }
    if (!o.gateway.status) return { checked: 0, settled: 0, expired };
    let settled = 0;
    const due = await waiting();
    for (const p of due) {
      try {
        const event = await o.gateway.status(p.providerId!, { signal: AbortSignal.timeout(10_000) });
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
    if (due.length > 0) o.logger.info({ checked: due.length, settled }, 'payments reconciled');
    o.onRun?.({ checked: due.length, settled, expired });
    return { checked: due.length, settled, expired };
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
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
