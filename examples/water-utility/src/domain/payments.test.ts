import type { PaymentEvent } from '@rolax/ussd-core/providers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createPaymentService, type PaymentService } from './payments.js';

let clock: TestClock;
let repos: SqliteRepositories;
let payments: PaymentService;

const bill = (account: string, period: string, amount: number) =>
  repos.bills.create({
    account,
    period,
    periodStart: `${period}-01`,
    periodEnd: `${period}-28`,
    openingReading: 100,
    closingReading: 112,
    consumption: 12,
    amount,
    creditApplied: 0,
    dueDate: '2026-11-14',
  });

const event = (reference: string, state: PaymentEvent['state'], extra: Partial<PaymentEvent> = {}): PaymentEvent => ({
  providerId: 'BRZKGPR',
  reference,
  state,
  rawState: state,
  ...extra,
});

async function start(amount?: number) {
  const r = await payments.startBillPayment({ account: '1001', phone: '+254711000111', amount });
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.payment;
}

beforeEach(async () => {
  clock = testClock();
  repos = memoryRepos(clock);
  payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now });
  await addAccount(repos, '1001');
  await bill('1001', '2026-10', 984);
});

describe('startBillPayment', () => {
  it('records a PENDING payment first, with a reference per bill and attempt', async () => {
    const payment = await start();
    expect(payment).toMatchObject({ reference: 'PAY-1001-202610-1', state: 'PENDING', amount: 984, attempt: 1 });
    expect(await repos.payments.getByReference('PAY-1001-202610-1')).not.toBeNull();
  });

  it('refuses a second push while one is pending, and allows it once the first is stale', async () => {
    const first = await start();
    const second = await payments.startBillPayment({ account: '1001', phone: '+254711000111' });
    expect(second).toMatchObject({ ok: false, reason: 'payment_pending' });
    expect(second.ok === false && second.pending?.reference).toBe(first.reference);

    clock.advance(3 * 60_000 + 1);
    const third = await start();
    expect(third.reference).toBe('PAY-1001-202610-2');
    // The stale one was left alone: its late COMPLETE still counts.
    expect((await repos.payments.getByReference(first.reference))?.state).toBe('PENDING');
    expect(
      await payments.applyPaymentEvent(event(first.reference, 'COMPLETE', { providerReference: 'SIH1ABC2DE' })),
    ).toMatchObject({
      changed: true,
      becameFinal: true,
    });
  });

  it('keeps blocking while the payment is PROCESSING, for longer', async () => {
    const first = await start();
    await payments.applyPaymentEvent(event(first.reference, 'PROCESSING'));
    clock.advance(4 * 60_000);
    expect(await payments.startBillPayment({ account: '1001', phone: '+254711000111' })).toMatchObject({
      ok: false,
      reason: 'payment_pending',
    });
    clock.advance(12 * 60_000);
    expect((await start()).attempt).toBe(2);
  });

  it('does not block after a FAILED payment', async () => {
    const first = await start();
    await payments.applyPaymentEvent(
      event(first.reference, 'FAILED', { failure: { reason: 'cancelled', code: '1032' } }),
    );
    expect((await start()).reference).toBe('PAY-1001-202610-2');
  });

  it('refuses with a clear reason', async () => {
    const ask = (account: string, amount?: number) =>
      payments.startBillPayment({ account, phone: '+254711000111', amount });
    expect(await ask('9999')).toMatchObject({ ok: false, reason: 'unknown_account' });
    expect(await ask('1001', 5)).toMatchObject({ ok: false, reason: 'amount_too_small' });
    expect(await ask('1001', 150_001)).toMatchObject({ ok: false, reason: 'amount_too_large' });
    expect(await ask('1001', 10.5)).toMatchObject({ ok: false, reason: 'invalid_amount' });
    await addAccount(repos, '2001', '+254722000222');
    expect(await ask('2001')).toMatchObject({ ok: false, reason: 'no_open_bill' });
  });
});

describe('applyPaymentEvent', () => {
  it('applies five out-of-order deliveries once: one COMPLETE, one balance change, one receipt', async () => {
    const { reference } = await start();
    const deliveries: PaymentEvent[] = [
      event(reference, 'PROCESSING'),
      event(reference, 'COMPLETE', { amount: 984, providerReference: 'SIH1ABC2DE' }),
      event(reference, 'PENDING'),
      event(reference, 'COMPLETE', { amount: 984, providerReference: 'SIH1ABC2DE' }),
      event(reference, 'PROCESSING'),
    ];
    const results = [];
    for (const d of deliveries) results.push(await payments.applyPaymentEvent(d));
    expect(results.map((r) => [r.changed, r.becameFinal])).toEqual([
      [true, false],
      [true, true],
      [false, false],
      [false, false],
      [false, false],
    ]);
    // A late FAILED cannot undo the money either.
    expect(await payments.applyPaymentEvent(event(reference, 'FAILED'))).toMatchObject({ changed: false });

    const payment = await repos.payments.getByReference(reference);
    expect(payment).toMatchObject({ state: 'COMPLETE', mpesaReference: 'SIH1ABC2DE', paidAmount: 984 });
    const b = await repos.bills.getByPeriod('1001', '2026-10');
    expect(b).toMatchObject({ balance: 0, paid: 984, status: 'paid' });
    const receipts = outboxRows(repos).filter((r) => r.key.startsWith('payment:'));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.to).toEqual(['+254711000111']);
    expect(receipts[0]?.text).toContain('SIH1ABC2DE');
    expect(receipts[0]?.text).toContain('Balance KES 0');
    const history = await repos.payments.history(reference);
    expect(history.filter((h) => h.applied).map((h) => h.toState)).toEqual(['PENDING', 'PROCESSING', 'COMPLETE']);
    expect(history).toHaveLength(7);
  });

  it('gives the same outcome when deliveries race', async () => {
    const { reference } = await start();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        payments.applyPaymentEvent(event(reference, 'COMPLETE', { providerReference: 'R1' })),
      ),
    );
    expect(results.filter((r) => r.becameFinal)).toHaveLength(1);
    expect(outboxRows(repos)).toHaveLength(1);
  });

  it('leaves the rest as balance after a partial payment', async () => {
    const { reference } = await start(500);
    await payments.applyPaymentEvent(event(reference, 'COMPLETE', { amount: 500, providerReference: 'SIH1ABC2DF' }));
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({
      paid: 500,
      balance: 484,
      status: 'partially_paid',
    });
    expect(outboxRows(repos)[0]?.text).toContain('Balance KES 484');
    // The rest can be paid next.
    const next = await payments.startBillPayment({ account: '1001', phone: '+254711000111' });
    expect(next).toMatchObject({ ok: true, payment: { amount: 484, attempt: 2 } });
  });

  it('turns an overpayment into account credit', async () => {
    const { reference } = await start(1000);
    await payments.applyPaymentEvent(event(reference, 'COMPLETE', { amount: 1000, providerReference: 'SIH1ABC2DG' }));
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({ balance: 0, status: 'paid' });
    expect((await repos.accounts.get('1001'))?.credit).toBe(16);
    expect(outboxRows(repos)[0]?.text).toContain('Credit KES 16');
  });

  it('pays the oldest bill first and carries the rest to the next one', async () => {
    await bill('1001', '2026-09', 300);
    const { reference, billId } = await start(500);
    expect((await repos.bills.get(billId))?.period).toBe('2026-09');
    await payments.applyPaymentEvent(event(reference, 'COMPLETE', { amount: 500 }));
    expect((await repos.bills.getByPeriod('1001', '2026-09'))?.status).toBe('paid');
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({ balance: 784, status: 'partially_paid' });
  });

  it('texts the failure reason and how to retry, in the payer language', async () => {
    await repos.preferences.setLanguage('+254711000111', 'sw');
    const { reference } = await start();
    const r = await payments.applyPaymentEvent(
      event(reference, 'FAILED', {
        failure: { reason: 'insufficient_funds', code: '1', message: 'Insufficient balance' },
      }),
    );
    expect(r).toMatchObject({ changed: true, becameFinal: true, payment: { state: 'FAILED', failureCode: '1' } });
    const [sms] = outboxRows(repos);
    expect(sms?.key).toBe(`payment:${reference}:failed`);
    expect(sms?.text).toContain('salio la M-Pesa halitoshi');
    expect(sms?.text).toContain('*384*1234#');
    expect((await repos.bills.getByPeriod('1001', '2026-10'))?.balance).toBe(984);
  });

  it('matches an event by provider id when the reference is missing', async () => {
    const { reference } = await start();
    await payments.recordProviderRequest(reference, { providerId: 'INV123' });
    const r = await payments.applyPaymentEvent({
      providerId: 'INV123',
      reference: '',
      state: 'PROCESSING',
      rawState: 'PROCESSING',
    });
    expect(r.payment?.reference).toBe(reference);
    expect(r.changed).toBe(true);
  });

  it('ignores an event for an unknown payment', async () => {
    expect(await payments.applyPaymentEvent(event('PAY-9-202610-1', 'COMPLETE'))).toEqual({
      changed: false,
      becameFinal: false,
      payment: null,
    });
  });
});

describe('recordPushFailure', () => {
  it('fails a refused push without an SMS, and keeps an unknown outcome pending', async () => {
    const first = await start();
    expect(
      await payments.recordPushFailure(first.reference, { definite: true, message: 'Invalid phone' }),
    ).toMatchObject({
      becameFinal: true,
      payment: { state: 'FAILED', failureReason: 'push_failed' },
    });
    expect(outboxRows(repos)).toHaveLength(0);

    const second = await start();
    const r = await payments.recordPushFailure(second.reference, { definite: false, message: 'timeout' });
    expect(r.payment?.state).toBe('PENDING');
    expect(await payments.applyPaymentEvent(event(second.reference, 'COMPLETE'))).toMatchObject({ becameFinal: true });
  });
});
