import type { Logger } from '@rolax/ussd-core';
import { intasendPayments } from '@rolax/ussd-core/providers';
import { type FakeIntaSend, fakeIntaSend } from '@rolax/ussd-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createPaymentService, type PaymentService } from './payments.js';
import { createPaymentReconciler, RECONCILE_JOB, type ReconcileResult } from './reconcile.js';

type Line = [level: string, obj: Record<string, unknown>, msg: string | undefined];

function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push([level, obj, msg]);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('payment reconciliation details', () => {
  let clock: TestClock;
  let repos: SqliteRepositories;
  let payments: PaymentService;
  let fake: FakeIntaSend;
  let gateway: ReturnType<typeof intasendPayments>;
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    clock = testClock('2026-11-20T10:00:00.000Z');
    repos = memoryRepos(clock);
    payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now });
    logger = recordingLogger();
    fake = fakeIntaSend();
    const url = await fake.start();
    gateway = intasendPayments({
      publishableKey: fake.publishableKey,
      secretKey: fake.secretKey,
      webhookChallenge: fake.challenge,
      baseUrl: url,
    });
    for (const account of ['1001', '2001']) {
      await addAccount(repos, account, account === '1001' ? '+254711000111' : '+254722000222');
      await repos.bills.create({
        account,
        period: '2026-10',
        periodStart: '2026-10-01',
        periodEnd: '2026-10-31',
        openingReading: 100,
        closingReading: 112,
        consumption: 12,
        amount: 984,
        creditApplied: 0,
        dueDate: '2026-11-14',
      });
    }
  });
  afterEach(async () => {
    await fake.close();
    await repos.close();
  });

  async function push(account = '1001', phone = '+254711000111') {
    const started = await payments.startBillPayment({ account, phone });
    if (!started.ok) throw new Error(started.reason);
    const requested = await gateway.requestPayment(
      {
        amount: started.payment.amount,
        currency: 'KES',
        phoneNumber: phone,
        reference: started.payment.reference,
        narrative: 'Water bill',
      },
      { idempotencyKey: started.payment.reference },
    );
    await payments.recordProviderRequest(started.payment.reference, { providerId: requested.providerId });
    return started.payment.reference;
  }

  const statusCalls = () => fake.requests.filter((r) => r.path.startsWith('/api/v1/payment/status/')).length;

  it('asks about a payment once it has been quiet for exactly the configured time, and logs the count', async () => {
    const reference = await push();
    await fake.enterPin(reference, '1234');
    const runs: (ReconcileResult | 'failed')[] = [];
    const reconciler = createPaymentReconciler({
      repos,
      payments,
      gateway,
      logger,
      now: clock.now,
      quietForMs: 60_000,
      onRun: (r) => runs.push(r),
    });
    clock.advance(59_999);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    expect(logger.lines).toEqual([]);
    clock.advance(1);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 1, expired: 0 });
    expect(logger.lines).toEqual([['info', { checked: 1, settled: 1 }, 'payments reconciled']]);
    expect(runs).toEqual([
      { ran: true, checked: 0, settled: 0, expired: 0 },
      { ran: true, checked: 1, settled: 1, expired: 0 },
    ]);
  });

  it('the default quiet time is two minutes', async () => {
    await push();
    const reconciler = createPaymentReconciler({ repos, payments, gateway, logger, now: clock.now });
    clock.advance(119_999);
    expect((await reconciler.runOnce()).checked).toBe(0);
    clock.advance(1);
    expect((await reconciler.runOnce()).checked).toBe(1);
  });

  it('also asks about PROCESSING payments, and tells onRun a skipped run', async () => {
    const reference = await push();
    const processing = await repos.payments.getByReference(reference);
    await payments.applyPaymentEvent({
      providerId: processing?.providerId ?? '',
      reference,
      state: 'PROCESSING',
      rawState: 'PROCESSING',
    });
    const runs: (ReconcileResult | 'failed')[] = [];
    await repos.jobLeases.tryAcquire(RECONCILE_JOB, 'other', 1_000_000);
    const reconciler = createPaymentReconciler({
      repos,
      payments,
      gateway,
      logger,
      now: clock.now,
      node: 'me',
      onRun: (r) => runs.push(r),
    });
    clock.advance(120_000);
    expect(await reconciler.runOnce()).toEqual({ ran: false, checked: 0, settled: 0, expired: 0 });
    expect(runs).toEqual([{ ran: false, checked: 0, settled: 0, expired: 0 }]);
    await repos.jobLeases.release(RECONCILE_JOB, 'other');
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 0, expired: 0 });
  });

  it('asks nothing of a gateway without a status call', async () => {
    await push();
    const reconciler = createPaymentReconciler({
      repos,
      payments,
      gateway: { ...gateway, status: undefined },
      logger,
      now: clock.now,
    });
    clock.advance(10 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    expect(statusCalls()).toBe(0);
  });

  it('logs a failed status check with the payment reference and error code', async () => {
    const reference = await push();
    fake.failNext(5, 503);
    const reconciler = createPaymentReconciler({ repos, payments, gateway, logger, now: clock.now });
    clock.advance(120_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 0, expired: 0 });
    expect(logger.lines[0]).toEqual(['warn', { reference, code: expect.any(String) }, 'payment status check failed']);
    expect(logger.lines[1]).toEqual(['info', { checked: 1, settled: 0 }, 'payments reconciled']);
  });

  it('logs expired unknown pushes and counts them as final', async () => {
    const started = await payments.startBillPayment({ account: '1001', phone: '+254711000111' });
    if (!started.ok) throw new Error(started.reason);
    let finals = 0;
    const reconciler = createPaymentReconciler({
      repos,
      payments,
      gateway,
      logger,
      now: clock.now,
      onFinal: () => finals++,
    });
    clock.advance(10 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 1 });
    expect(finals).toBe(1);
    expect(logger.lines).toEqual([
      ['warn', { expired: 1 }, 'payments with an unknown push outcome expired; payers told by SMS'],
    ]);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    expect(finals).toBe(1);
  });

  it('a run that loses its lease stops before the next payment and says so once', async () => {
    await push('1001', '+254711000111');
    await push('2001', '+254722000222');
    clock.advance(120_000);
    let taken = false;
    const slow = {
      ...gateway,
      status: async (id: string, ctx: { signal?: AbortSignal | undefined }) => {
        const answer = await gateway.status!(id, ctx);
        if (!taken) {
          taken = true;
          clock.advance(150_000);
          await repos.jobLeases.tryAcquire(RECONCILE_JOB, 'other', 150_000);
        }
        return answer;
      },
    };
    const reconciler = createPaymentReconciler({ repos, payments, gateway: slow, logger, now: clock.now, node: 'me' });
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 0, expired: 0 });
    expect(logger.lines).toEqual([
      ['warn', {}, 'another node took payment reconciliation over; this run stops'],
      ['info', { checked: 1, settled: 0 }, 'payments reconciled'],
    ]);
    expect((await repos.jobLeases.get(RECONCILE_JOB))?.holder).toBe('other');
  });

  it('runs on a timer, reports a failed run, and hands the lease back on stop', async () => {
    let fail = true;
    const flaky: PaymentService = {
      ...payments,
      unknownOverdue: async () => {
        if (fail) throw new Error('database unavailable');
        return [];
      },
    };
    const runs: (ReconcileResult | 'failed')[] = [];
    let ran: () => void = () => {};
    const reconciler = createPaymentReconciler({
      repos,
      payments: flaky,
      gateway,
      logger,
      now: clock.now,
      node: 'me',
      onRun: (r) => {
        runs.push(r);
        ran();
      },
    });
    const next = () =>
      new Promise<void>((resolve) => {
        ran = resolve;
      });
    let wait = next();
    reconciler.start(2);
    reconciler.start(2);
    await wait;
    expect(runs).toEqual(['failed']);
    expect(logger.lines[0]).toEqual([
      'error',
      { err: expect.objectContaining({ message: 'database unavailable' }) },
      'payment reconciliation failed',
    ]);
    fail = false;
    wait = next();
    await wait;
    expect(runs.at(-1)).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    expect((await repos.jobLeases.get(RECONCILE_JOB))?.holder).toBe('me');
    await reconciler.stop();
    const count = runs.length;
    expect(await repos.jobLeases.get(RECONCILE_JOB)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(runs.length).toBe(count);
  });
});
