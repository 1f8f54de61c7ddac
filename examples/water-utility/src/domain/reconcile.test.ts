import { silentLogger } from '@rolax/ussd-core';
import { intasendPayments } from '@rolax/ussd-core/providers';
import { type FakeIntaSend, fakeIntaSend } from '@rolax/ussd-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createPaymentService, type PaymentService, UNKNOWN_PUSH_EXPIRES_MS } from './payments.js';
import { createPaymentReconciler } from './reconcile.js';

// The provider's webhooks never reach us (no webhook URL): only the status check can settle the payment.
describe('payment reconciliation', () => {
  let clock: TestClock;
  let repos: SqliteRepositories;
  let payments: PaymentService;
  let fake: FakeIntaSend;
  let gateway: ReturnType<typeof intasendPayments>;

  beforeEach(async () => {
    clock = testClock();
    repos = memoryRepos(clock);
    payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now });
    await addAccount(repos, '1001');
    await repos.bills.create({
      account: '1001',
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

  async function push() {
    const started = await payments.startBillPayment({ account: '1001', phone: '+254711000111' });
    if (!started.ok) throw new Error(started.reason);
    const requested = await gateway.requestPayment(
      {
        amount: started.payment.amount,
        currency: 'KES',
        phoneNumber: '+254711000111',
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
    expect(await reconciler.runOnce()).toEqual({ checked: 0, settled: 0, expired: 0 });
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ checked: 1, settled: 1, expired: 0 });
    expect(await reconciler.runOnce()).toEqual({ checked: 0, settled: 0, expired: 0 });
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
    expect(await reconciler.runOnce()).toEqual({ checked: 1, settled: 0, expired: 0 });
    expect((await repos.payments.getByReference(reference))?.state).toBe('PENDING');
    await fake.cancel(reference);
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ checked: 1, settled: 1, expired: 0 });
    expect((await repos.payments.getByReference(reference))?.state).toBe('FAILED');
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':failed'))).toHaveLength(1);
  });

  it('survives a provider that is down', async () => {
    await push();
    fake.failNext(5, 503);
    const reconciler = createPaymentReconciler({ repos, payments, gateway, logger: silentLogger, now: clock.now });
    clock.advance(3 * 60_000);
    expect(await reconciler.runOnce()).toEqual({ checked: 1, settled: 0, expired: 0 });
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
    expect(await reconciler.runOnce()).toEqual({ checked: 0, settled: 0, expired: 0 });
    // No longer blocking: a new push may start.
    expect(await payments.blockingPayment('1001')).toBeNull();

    clock.advance(UNKNOWN_PUSH_EXPIRES_MS);
    expect(await reconciler.runOnce()).toEqual({ checked: 0, settled: 0, expired: 1 });
    expect(await reconciler.runOnce()).toEqual({ checked: 0, settled: 0, expired: 0 });
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
});
