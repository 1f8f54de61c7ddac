import { type Logger, silentLogger } from '@rolax/ussd-core';
import { intasendPayments } from '@rolax/ussd-core/providers';
import { type FakeIntaSend, fakeIntaSend } from '@rolax/ussd-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createPaymentService, type PaymentService, UNKNOWN_PUSH_EXPIRES_MS } from './payments.js';
import { createPaymentReconciler, RECONCILE_JOB, type ReconcileResult } from './reconcile.js';

type Line = [level: string, obj: Record<string, unknown>, msg: string | undefined];

function recordingLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push([level, obj, msg]);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// The provider's webhooks never reach us (no webhook URL): only the status check can settle the payment.
describe('payment reconciliation', () => {
  let clock: TestClock;
  let repos: SqliteRepositories;
  let payments: PaymentService;
  let fake: FakeIntaSend;
  let gateway: ReturnType<typeof intasendPayments>;

  beforeEach(async () => {
    clock = testClock('2026-11-20T10:00:00.000Z');
    repos = memoryRepos(clock);
    payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now });
    await addAccount(repos, '1001');
    await openBill('1001');
    fake = fakeIntaSend();
    const url = await fake.start();
    gateway = intasendPayments({
      publishableKey: fake.publishableKey,
      secretKey: fake.secretKey,
      webhookChallenge: fake.challenge,
      baseUrl: url,
    });
  });
  afterEach(async () => {
    await fake.close();
    await repos.close();
  });

  async function openBill(account: string) {
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

  it('settles a completed payment whose webhook never came, once, with one receipt', async () => {
    const reference = await push();
    await fake.enterPin(reference, '1234');
    let finals = 0;
    const reconciler = createPaymentReconciler({
      repos,
      payments,
      gateway,
      logger: silentLogger,
      now: clock.now,
      onFinal: () => finals++,
    });
    // Not yet quiet for long enough: nothing is asked.
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 1, expired: 0 });
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    const payment = await repos.payments.getByReference(reference);
    expect(payment).toMatchObject({ state: 'COMPLETE' });
    expect(payment?.mpesaReference).toMatch(/^[A-Z0-9]{10}$/);
    expect((await repos.bills.unpaidForAccount('1001')).length).toBe(0);
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':receipt'))).toHaveLength(1);
    expect(finals).toBe(1);
  });

  it('leaves a payment still waiting on the phone alone, and records a cancellation', async () => {
    const reference = await push();
    const reconciler = createPaymentReconciler({ repos, payments, gateway, logger: silentLogger, now: clock.now });
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 0, expired: 0 });
    expect((await repos.payments.getByReference(reference))?.state).toBe('PENDING');
    await fake.cancel(reference);
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 1, expired: 0 });
    expect((await repos.payments.getByReference(reference))?.state).toBe('FAILED');
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':failed'))).toHaveLength(1);
  });

  it('survives a provider that is down', async () => {
    await push();
    fake.failNext(5, 503);
    const reconciler = createPaymentReconciler({ repos, payments, gateway, logger: silentLogger, now: clock.now });
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 1, settled: 0, expired: 0 });
  });

  it('expires a push whose outcome is unknown, tells the payer, and still applies a late webhook exactly once', async () => {
    const ops = ['+254700000009'];
    payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now, opsPhones: ops });
    const started = await payments.startBillPayment({ account: '1001', phone: '+254711000111' });
    if (!started.ok) throw new Error(started.reason);
    const reference = started.payment.reference;
    // The push request failed after it was sent (a network error): no provider id, outcome unknown.
    await payments.recordPushFailure(reference, { definite: false, message: 'socket hang up' });
    const reconciler = createPaymentReconciler({ repos, payments, gateway, logger: silentLogger, now: clock.now });

    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    // No longer blocking: a new push may start.
    expect(await payments.blockingPayment('1001')).toBeNull();

    clock.advance(UNKNOWN_PUSH_EXPIRES_MS);
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 1 });
    expect(await reconciler.runOnce()).toEqual({ ran: true, checked: 0, settled: 0, expired: 0 });
    const told = outboxRows(repos).filter((r) => r.key === `payment:${reference}:expired`);
    expect(told).toHaveLength(1);
    expect(told[0]?.to).toEqual(['+254711000111']);
    expect(told[0]?.text).toMatch(/No M-Pesa payment .* was confirmed/);

    // The provider's webhook arrives late, twice: credited once, one receipt, operations told once.
    const late = {
      providerId: 'INV-LATE',
      reference,
      state: 'COMPLETE' as const,
      rawState: 'COMPLETE',
      amount: started.payment.amount,
      providerReference: 'SKL0LATE01',
    };
    expect(await payments.applyPaymentEvent(late)).toMatchObject({ changed: true, becameFinal: true });
    expect(await payments.applyPaymentEvent(late)).toMatchObject({ changed: false, becameFinal: false });
    expect((await repos.bills.unpaidForAccount('1001')).length).toBe(0);
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':receipt'))).toHaveLength(1);
    const alerts = outboxRows(repos).filter((r) => r.to[0] === ops[0]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain(reference);
  });

  const statusCalls = () => fake.requests.filter((r) => r.path.startsWith('/api/v1/payment/status/')).length;

  /** Three payments completed at the provider, their webhooks lost, quiet long enough to be asked about. */
  async function threeCompleted(): Promise<string[]> {
    const references: string[] = [];
    for (const [i, account] of ['1001', '2001', '3001'].entries()) {
      const phone = `+25471100000${i}`;
      if (account !== '1001') {
        await addAccount(repos, account, phone);
        await openBill(account);
      }
      const reference = await push(account, phone);
      await fake.enterPin(reference, '1234');
      references.push(reference);
    }
    clock.advance(3 * 60_000);
    return references;
  }

  it('leaves the run to the node holding the lease, and takes it over once that lease lapses', async () => {
    await threeCompleted();
    const node = (name: string) =>
      createPaymentReconciler({ repos, payments, gateway, logger: silentLogger, now: clock.now, node: name });
    const a = node('node-a');
    const b = node('node-b');
    expect(await a.runOnce()).toEqual({ ran: true, checked: 3, settled: 3, expired: 0 });
    expect(await b.runOnce()).toEqual({ ran: false, checked: 0, settled: 0, expired: 0 });
    expect(statusCalls()).toBe(3);
    // The holder keeps the lease between its runs; it lapses 150 s after the last one, and then b takes over.
    clock.advance(149_999);
    expect((await b.runOnce()).ran).toBe(false);
    clock.advance(1);
    expect((await b.runOnce()).ran).toBe(true);
    expect((await a.runOnce()).ran).toBe(false);
    expect((await repos.jobLeases.get(RECONCILE_JOB))?.holder).toBe('node-b');
    // A node shutting down hands the lease back at once; a stopping node that does not hold it changes nothing.
    await a.stop();
    expect((await repos.jobLeases.get(RECONCILE_JOB))?.holder).toBe('node-b');
    await b.stop();
    expect((await a.runOnce()).ran).toBe(true);
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':receipt'))).toHaveLength(3);
  });

  it('stops a run that stalled past its lease; the answer it was holding is applied once', async () => {
    const references = await threeCompleted();
    const b = createPaymentReconciler({ repos, payments, gateway, logger: silentLogger, now: clock.now, node: 'b' });
    let stalled: Awaited<ReturnType<typeof b.runOnce>> | undefined;
    // Node a's first status answer arrives after its lease lapsed and node b has done the whole run.
    const slow = {
      ...gateway,
      status: async (id: string, ctx: { signal?: AbortSignal | undefined }) => {
        const answer = await gateway.status!(id, ctx);
        if (!stalled) {
          clock.advance(150_000);
          stalled = await b.runOnce();
        }
        return answer;
      },
    };
    const a = createPaymentReconciler({
      repos,
      payments,
      gateway: slow,
      logger: silentLogger,
      now: clock.now,
      node: 'a',
    });
    expect(await a.runOnce()).toEqual({ ran: true, checked: 1, settled: 0, expired: 0 });
    expect(stalled).toEqual({ ran: true, checked: 3, settled: 3, expired: 0 });
    expect(statusCalls()).toBe(4);
    for (const [i, reference] of references.entries()) {
      const history = await repos.payments.history(reference);
      expect(history.filter((h) => h.toState === 'COMPLETE' && h.applied)).toHaveLength(1);
      const account = ['1001', '2001', '3001'][i]!;
      expect(await repos.bills.getByPeriod(account, '2026-10')).toMatchObject({ paid: 984, balance: 0 });
      expect((await repos.accounts.get(account))?.credit).toBe(0);
    }
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':receipt'))).toHaveLength(3);
  });

  describe('quiet time, logging, lease loss and the timer', () => {
    let logger: ReturnType<typeof recordingLogger>;

    // A second account, 2001, owes its October bill too.
    beforeEach(async () => {
      logger = recordingLogger();
      await addAccount(repos, '2001', '+254722000222');
      await openBill('2001');
    });

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
      const reconciler = createPaymentReconciler({
        repos,
        payments,
        gateway: slow,
        logger,
        now: clock.now,
        node: 'me',
      });
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
});
