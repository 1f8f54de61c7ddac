import { combineObservers, createMenuFunnel, type MenuFunnel, type TurnObserver } from '@rolax/ussd-core/observe';
import type { SmsSender } from '@rolax/ussd-core/outbox';
import { prometheusFunnel, prometheusObserver } from '@rolax/ussd-core/prometheus';
import type { PaymentGateway } from '@rolax/ussd-core/providers';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { WaterServices } from '../domain/index.js';
import type { Payment } from '../domain/model.js';
import type { ReconcileResult } from '../domain/reconcile.js';
import type { OutboxStats, ServiceStats } from './stats.js';

/** The last result of each provider, for readiness. */
export interface GatewayResults {
  sms: { ok: boolean; at: string } | undefined;
  payments: { ok: boolean; at: string } | undefined;
}

/**
 * Every number an operator watches, on one Prometheus registry: USSD turns (from the engine's observer), the menu
 * funnel, payments, the SMS outbox and delivery, issues, reconciliation and billing runs, and the process
 * defaults. Database-backed figures are read at each scrape; the rest are counted as they happen.
 */
export function createServiceMetrics(o: { stats: ServiceStats; menuId: string; now?: (() => number) | undefined }) {
  const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  // OpenMetrics carries exemplars: a turn's latency points at the request id in the log.
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  collectDefaultMetrics({ register: registry });
  const now = o.now ?? Date.now;
  const registers = [registry as unknown as Registry];
  const funnel: MenuFunnel = createMenuFunnel();
  prometheusFunnel({ registry, funnel, menuId: o.menuId });
  const observer: TurnObserver = combineObservers(prometheusObserver({ registry }), funnel.observer);

  new Gauge({
    name: 'water_payments',
    help: 'Payments on record by state',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const s of ['PENDING', 'PROCESSING', 'COMPLETE', 'FAILED']) this.set({ state: s }, 0);
      for (const r of await o.stats.paymentsByState()) this.set({ state: r.state }, r.count);
    },
  });
  const settle = new Histogram({
    name: 'water_payment_settle_seconds',
    help: 'From the payment request to its final state, by that state',
    labelNames: ['state'] as const,
    buckets: [5, 15, 30, 60, 120, 300, 900, 3600],
    registers,
  });
  new Gauge({
    name: 'water_sms',
    help: 'Outgoing SMS per recipient by latest status (delivery report, else send result)',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of await o.stats.smsByStatus()) this.set({ status: r.status }, r.count);
    },
  });
  const smsSends = new Counter({
    name: 'water_sms_send_results_total',
    help: 'SMS provider answers per recipient: accepted, failed, retryable, or error when the call itself failed',
    labelNames: ['status'] as const,
    registers,
  });
  const pushes = new Counter({
    name: 'water_payment_requests_total',
    help: 'M-Pesa push requests by result',
    labelNames: ['result'] as const,
    registers,
  });
  new Gauge({
    name: 'water_issues_reported',
    help: 'Issues on record by category and channel',
    labelNames: ['category', 'channel'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of await o.stats.issuesByCategory()) this.set({ category: r.category, channel: r.channel }, r.count);
    },
  });
  // One query feeds the four outbox gauges: a scrape collects them together, so they share one read.
  let outboxRead: Promise<OutboxStats> | undefined;
  const readOutbox = () => {
    if (!outboxRead) {
      outboxRead = o.stats.outbox(now());
      outboxRead.finally(() => setImmediate(() => (outboxRead = undefined))).catch(() => undefined);
    }
    return outboxRead;
  };
  const outboxGauge = (name: string, help: string, value: (s: OutboxStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(value(await readOutbox()));
      },
    });
  outboxGauge('water_outbox_pending', 'SMS waiting in the outbox', (s) => s.pending);
  outboxGauge('water_outbox_failed', 'SMS the outbox gave up on', (s) => s.failed);
  outboxGauge(
    'water_outbox_oldest_pending_seconds',
    'Age of the oldest SMS still waiting',
    (s) => s.oldestPendingMs / 1000,
  );
  outboxGauge(
    'water_outbox_pending_attempts',
    'Delivery attempts made so far on SMS still waiting',
    (s) => s.pendingAttempts,
  );
  const reconciler = new Counter({
    name: 'water_reconciler_payments_total',
    help: 'Payments the reconciler asked the provider about, by what came of it',
    labelNames: ['result'] as const,
    registers,
  });
  const reconcilerRuns = new Counter({
    name: 'water_reconciler_runs_total',
    help: 'Reconciler runs by result',
    labelNames: ['result'] as const,
    registers,
  });
  const billingRuns = new Counter({
    name: 'water_billing_runs_total',
    help: 'Billing runs by result',
    labelNames: ['result'] as const,
    registers,
  });
  const billsCreated = new Counter({
    name: 'water_bills_created_total',
    help: 'Bills issued by billing runs',
    registers,
  });

  const gateways: GatewayResults = { sms: undefined, payments: undefined };
  const mark = (which: keyof GatewayResults, ok: boolean) => {
    gateways[which] = { ok, at: new Date(now()).toISOString() };
  };

  /** A payment reached a final state: how long it took from the request. */
  function settled(p: Payment) {
    if (p.state !== 'COMPLETE' && p.state !== 'FAILED') return;
    const end = Date.parse(p.completedAt ?? p.updatedAt);
    settle.observe({ state: p.state }, Math.max(0, (end - Date.parse(p.createdAt)) / 1000));
  }

  return {
    registry,
    funnel,
    observer,
    gateways,
    /** Counts what the domain services do: payments reaching a final state, billing runs. */
    watch(domain: WaterServices) {
      const { payments, billing } = domain;
      const apply = payments.applyPaymentEvent;
      payments.applyPaymentEvent = async (event) => {
        const r = await apply(event);
        if (r.becameFinal && r.payment) settled(r.payment);
        return r;
      };
      const pushFailed = payments.recordPushFailure;
      payments.recordPushFailure = async (...args) => {
        const r = await pushFailed(...args);
        if (r.becameFinal && r.payment) settled(r.payment);
        return r;
      };
      const run = billing.runBillingPeriod;
      billing.runBillingPeriod = async (input) => {
        const r = await run(input);
        billingRuns.inc({ result: r.ok ? 'ok' : r.reason });
        if (r.ok) billsCreated.inc(r.created.length);
        return r;
      };
    },
    reconcilerRan(r: ReconcileResult | 'failed'): void {
      if (r === 'failed') return void reconcilerRuns.inc({ result: 'failed' });
      // Another node holds the reconciliation lease: this one left the run to it.
      if (!r.ran) return void reconcilerRuns.inc({ result: 'skipped' });
      reconcilerRuns.inc({ result: 'ok' });
      reconciler.inc({ result: 'settled' }, r.settled);
      reconciler.inc({ result: 'still_waiting' }, r.checked - r.settled);
      reconciler.inc({ result: 'expired' }, r.expired);
    },
    /** The SMS sender, counting each answer and remembering the last. */
    countSms(sender: SmsSender): SmsSender {
      return {
        name: sender.name,
        async send(message, ctx) {
          try {
            const result = await sender.send(message, ctx);
            for (const r of result.recipients) smsSends.inc({ status: r.status });
            mark(
              'sms',
              result.recipients.some((r) => r.status !== 'retryable'),
            );
            return result;
          } catch (err) {
            smsSends.inc({ status: 'error' }, message.to.length);
            mark('sms', false);
            throw err;
          }
        },
      };
    },
    /** The payment gateway, counting push requests and remembering the last result. */
    countPayments(gateway: PaymentGateway): PaymentGateway {
      return {
        ...gateway,
        name: gateway.name,
        async requestPayment(req, ctx) {
          try {
            const out = await gateway.requestPayment(req, ctx);
            pushes.inc({ result: 'accepted' });
            mark('payments', true);
            return out;
          } catch (err) {
            pushes.inc({ result: 'error' });
            mark('payments', false);
            throw err;
          }
        },
      };
    },
    /** The JSON view for `/ops/metrics`, read from the same registry. */
    async snapshot() {
      const all = await registry.getMetricsAsJSON();
      const sum = (name: string, by?: string) => {
        const m = all.find((x) => x.name === name);
        const out: Record<string, number> = {};
        let total = 0;
        for (const v of m?.values ?? []) {
          if ('metricName' in v && v.metricName && v.metricName !== name) continue;
          total += v.value;
          if (by) {
            const k = String(v.labels[by]);
            out[k] = (out[k] ?? 0) + v.value;
          }
        }
        return by ? out : total;
      };
      return {
        ussd: { turns: sum('ussd_turns_total'), byOutcome: sum('ussd_turns_total', 'outcome') },
        payments: sum('water_payments', 'state'),
        sms: sum('water_sms', 'status'),
        outbox: {
          pending: sum('water_outbox_pending'),
          failed: sum('water_outbox_failed'),
          oldestPendingSeconds: sum('water_outbox_oldest_pending_seconds'),
        },
        issues: sum('water_issues_reported', 'category'),
        gateways,
      };
    },
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
