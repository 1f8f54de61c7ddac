import type { PaymentEvent } from '@rolax/ussd-core/providers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createPaymentService, type PaymentService, paymentReference } from './payments.js';

const OPS = ['+254700000001'];
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

/** A provider event for a payment the provider knows as invoice BRZKGPR. */
const event = (reference: string, state: PaymentEvent['state'], extra: Partial<PaymentEvent> = {}): PaymentEvent => ({
  providerId: 'BRZKGPR',
  reference,
  state,
  rawState: state,
  ...extra,
});

/** A provider event without an invoice id. */
const eventWithoutId = (reference: string, state: PaymentEvent['state'], extra: Partial<PaymentEvent> = {}) =>
  event(reference, state, { providerId: '', ...extra });

const ask = (amount?: number, phone = '+254711000111') => payments.startBillPayment({ account: '1001', phone, amount });

async function start(amount?: number, phone?: string) {
  const r = await ask(amount, phone);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.payment;
}

// Account 1001 without a bill; each group below adds the bills it needs.
beforeEach(async () => {
  clock = testClock('2026-11-20T10:00:00.000Z');
  repos = memoryRepos(clock);
  payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now, opsPhones: OPS });
  await addAccount(repos, '1001');
});

describe('paymentReference', () => {
  it('names the account, the period without its dash and the attempt', () => {
    expect(paymentReference('1001', '2026-10', 3)).toBe('PAY-1001-202610-3');
  });
});

describe('startBillPayment', () => {
  beforeEach(async () => {
    await bill('1001', '2026-10', 984);
  });

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
    const askFor = (account: string, amount?: number) =>
      payments.startBillPayment({ account, phone: '+254711000111', amount });
    expect(await askFor('9999')).toMatchObject({ ok: false, reason: 'unknown_account' });
    expect(await askFor('1001', 5)).toMatchObject({ ok: false, reason: 'amount_too_small' });
    expect(await askFor('1001', 150_001)).toMatchObject({ ok: false, reason: 'amount_too_large' });
    expect(await askFor('1001', 10.5)).toMatchObject({ ok: false, reason: 'invalid_amount' });
    await addAccount(repos, '2001', '+254722000222');
    expect(await askFor('2001')).toMatchObject({ ok: false, reason: 'no_open_bill' });
  });
});

describe('startBillPayment: the amount asked, its limits, and the refusals explained', () => {
  beforeEach(async () => {
    await bill('1001', '2026-10', 984.4);
  });

  it('asks the whole balance rounded up to a shilling when no amount is given', async () => {
    expect((await start()).amount).toBe(985);
  });

  it('takes 10 and 150,000 shillings and refuses 9 and 150,001 with the limits in the message', async () => {
    expect(await ask(9)).toEqual({ ok: false, reason: 'amount_too_small', message: 'The smallest payment is KES 10' });
    expect(await ask(150_001)).toEqual({
      ok: false,
      reason: 'amount_too_large',
      message: 'The largest payment is KES 150000',
    });
    expect((await start(10)).amount).toBe(10);
    clock.advance(3 * 60_000);
    expect((await start(150_000)).amount).toBe(150_000);
  });

  it('refuses nothing, zero, negative and fractional amounts as not whole shillings', async () => {
    for (const amount of [0, -20, 10.5, Number.NaN]) {
      expect(await ask(amount)).toEqual({
        ok: false,
        reason: 'invalid_amount',
        message: 'The amount must be a whole number of shillings',
      });
    }
  });

  it('names the account in the refusals', async () => {
    expect(await payments.startBillPayment({ account: '9999', phone: '+254711000111' })).toEqual({
      ok: false,
      reason: 'unknown_account',
      message: 'Account 9999 does not exist',
    });
    await addAccount(repos, '2001', '+254722000222');
    expect(await payments.startBillPayment({ account: '2001', phone: '+254722000222' })).toEqual({
      ok: false,
      reason: 'no_open_bill',
      message: 'Account 2001 has no unpaid bill',
    });
  });

  it('honours the configured limits, currency and provider', async () => {
    payments = createPaymentService({
      repos,
      brand: TEST_BRAND,
      now: clock.now,
      minAmount: 50,
      maxAmount: 500,
      currency: 'UGX',
      provider: 'paystack',
    });
    expect(await ask(49)).toMatchObject({ reason: 'amount_too_small', message: 'The smallest payment is KES 50' });
    expect(await ask(501)).toMatchObject({ reason: 'amount_too_large', message: 'The largest payment is KES 500' });
    expect(await start(50)).toMatchObject({ currency: 'UGX', provider: 'paystack', amount: 50 });
  });

  it('records the creation in the history at the clock time', async () => {
    const p = await start();
    expect(await repos.payments.history(p.reference)).toEqual([
      expect.objectContaining({
        fromState: 'PENDING',
        toState: 'PENDING',
        rawState: 'CREATED',
        applied: true,
        providerUpdatedAt: null,
        receivedAt: '2026-11-20T10:00:00.000Z',
      }),
    ]);
    expect(p).toMatchObject({ currency: 'KES', provider: 'intasend', phone: '+254711000111', account: '1001' });
  });
});

describe('blockingPayment', () => {
  it('is null without an unpaid bill', async () => {
    expect(await payments.blockingPayment('1001')).toBeNull();
  });

  it('a PENDING push blocks for just under three minutes', async () => {
    await bill('1001', '2026-10', 984);
    const p = await start();
    clock.advance(3 * 60_000 - 1);
    expect((await payments.blockingPayment('1001'))?.reference).toBe(p.reference);
    const oldest = (await repos.bills.unpaidForAccount('1001'))[0];
    expect((await payments.blockingPayment('1001', oldest))?.reference).toBe(p.reference);
    expect(await ask()).toMatchObject({ ok: false, reason: 'payment_pending' });
    clock.advance(1);
    expect(await payments.blockingPayment('1001')).toBeNull();
    expect(await ask()).toMatchObject({ ok: true });
  });

  it('a PROCESSING push blocks for just under fifteen minutes', async () => {
    await bill('1001', '2026-10', 984);
    const p = await start();
    clock.advance(60_000);
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'PROCESSING'));
    clock.advance(15 * 60_000 - 1);
    expect((await payments.blockingPayment('1001'))?.reference).toBe(p.reference);
    clock.advance(1);
    expect(await payments.blockingPayment('1001')).toBeNull();
  });

  it('honours configured staleness', async () => {
    payments = createPaymentService({
      repos,
      brand: TEST_BRAND,
      now: clock.now,
      staleAfterMs: 1000,
      processingStaleAfterMs: 2000,
    });
    await bill('1001', '2026-10', 984);
    const p = await start();
    clock.advance(999);
    expect(await payments.blockingPayment('1001')).not.toBeNull();
    clock.advance(1);
    expect(await payments.blockingPayment('1001')).toBeNull();
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'PROCESSING'));
    clock.advance(1999);
    expect(await payments.blockingPayment('1001')).not.toBeNull();
    clock.advance(1);
    expect(await payments.blockingPayment('1001')).toBeNull();
  });
});

describe('applyPaymentEvent', () => {
  beforeEach(async () => {
    await bill('1001', '2026-10', 984);
  });

  it('reports no change for an event in the state the payment is already in', async () => {
    const { reference } = await start();
    expect((await repos.payments.getByReference(reference))?.state).toBe('PENDING');
    const results = [];
    for (const state of ['PENDING', 'PROCESSING', 'PROCESSING'] as const) {
      results.push(await payments.applyPaymentEvent(event(reference, state)));
    }
    expect(results.map((r) => [r.changed, r.payment?.state])).toEqual([
      [false, 'PENDING'],
      [true, 'PROCESSING'],
      [false, 'PROCESSING'],
    ]);
  });

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

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, undefined])(
    'a completion reporting amount %s credits the amount asked',
    async (amount) => {
      const p = await start(500);
      const r = await payments.applyPaymentEvent(eventWithoutId(p.reference, 'COMPLETE', { amount }));
      expect(r.payment?.paidAmount).toBe(500);
      expect((await repos.bills.getByPeriod('1001', '2026-10'))?.balance).toBe(484);
    },
  );

  it('a completion credits the amount the provider reports', async () => {
    const p = await start(500);
    const r = await payments.applyPaymentEvent(eventWithoutId(p.reference, 'COMPLETE', { amount: 700 }));
    expect(r.payment).toMatchObject({ paidAmount: 700, completedAt: '2026-11-20T10:00:00.000Z' });
    expect((await repos.bills.getByPeriod('1001', '2026-10'))?.balance).toBe(284);
  });

  it('keeps the first provider id, even from an event that changes nothing', async () => {
    const p = await start();
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'PENDING', { providerId: 'INV-A' }));
    expect((await repos.payments.getByReference(p.reference))?.providerId).toBe('INV-A');
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'PENDING', { providerId: 'INV-B' }));
    const r = await payments.applyPaymentEvent(eventWithoutId(p.reference, 'PROCESSING', { providerId: 'INV-C' }));
    expect(r.payment?.providerId).toBe('INV-A');
  });

  it('a forward event stores the provider id when none is known', async () => {
    const p = await start();
    const r = await payments.applyPaymentEvent(eventWithoutId(p.reference, 'PROCESSING', { providerId: 'INV-A' }));
    expect(r.payment).toMatchObject({ state: 'PROCESSING', providerId: 'INV-A' });
    expect(
      (await payments.applyPaymentEvent(eventWithoutId('', 'COMPLETE', { providerId: 'INV-A' }))).payment?.state,
    ).toBe('COMPLETE');
  });

  it('records the provider time of each event in the history', async () => {
    const p = await start();
    await payments.applyPaymentEvent(
      eventWithoutId(p.reference, 'PROCESSING', { rawState: 'PROCESSING', updatedAt: '2026-11-20T09:59:00Z' }),
    );
    expect((await repos.payments.history(p.reference)).at(-1)).toMatchObject({
      fromState: 'PENDING',
      toState: 'PROCESSING',
      applied: true,
      providerUpdatedAt: '2026-11-20T09:59:00Z',
    });
  });

  it('a failure without a reason is recorded as unknown', async () => {
    const p = await start();
    const r = await payments.applyPaymentEvent(eventWithoutId(p.reference, 'FAILED'));
    expect(r.payment).toMatchObject({ state: 'FAILED', failureReason: 'unknown' });
    expect(outboxRows(repos)[0]?.key).toBe(`payment:${p.reference}:failed`);
  });

  it('recording the same provider invoice twice leaves the payment as it was', async () => {
    const p = await start();
    expect(await payments.recordProviderRequest('PAY-1001-202610-9', { providerId: 'INV-1' })).toBeNull();
    const first = await payments.recordProviderRequest(p.reference, { providerId: 'INV-1' });
    clock.advance(1000);
    const again = await payments.recordProviderRequest(p.reference, { providerId: 'INV-1' });
    expect(again).toEqual(first);
    const changed = await payments.recordProviderRequest(p.reference, { providerId: 'INV-2' });
    expect(changed?.providerId).toBe('INV-2');
  });

  it('a payer who is not registered on the account gets a receipt without the balance', async () => {
    const p = await start(500, '+254799000999');
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'COMPLETE', { providerReference: 'SIH7' }));
    expect(outboxRows(repos)).toEqual([
      {
        key: `payment:${p.reference}:receipt`,
        to: ['+254799000999'],
        text: 'rolax Water: KES 500 received for a/c 1001. M-Pesa ref SIH7. Thank you.',
      },
    ]);
  });

  it('pays its own bill before older ones, and adds what is left to the credit the account had', async () => {
    const p = await start(500);
    await bill('1001', '2026-09', 300);
    await repos.accounts.setCredit('1001', 16);
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'COMPLETE', { amount: 500 }));
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({ paid: 500, balance: 484 });
    expect(await repos.bills.getByPeriod('1001', '2026-09')).toMatchObject({ paid: 0, balance: 300, status: 'open' });

    const q = await start(800);
    await payments.applyPaymentEvent(eventWithoutId(q.reference, 'COMPLETE', { amount: 800 }));
    expect(await repos.bills.getByPeriod('1001', '2026-09')).toMatchObject({ paid: 300, balance: 0, status: 'paid' });
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({ paid: 984, balance: 0, status: 'paid' });
    expect((await repos.accounts.get('1001'))?.credit).toBe(32);
    expect(outboxRows(repos).at(-1)?.text).toBe(
      'rolax Water: KES 800 received for a/c 1001. M-Pesa ref -. Credit KES 32. Thank you.',
    );
  });

  it('a completion that leaves nothing over does not touch the credit', async () => {
    await repos.accounts.setCredit('1001', 16);
    const p = await start(984);
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'COMPLETE', { amount: 984 }));
    expect((await repos.accounts.get('1001'))?.credit).toBe(16);
  });
});

describe('recordPushFailure', () => {
  beforeEach(async () => {
    await bill('1001', '2026-10', 984);
  });

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

describe('pushes with an unknown outcome', () => {
  beforeEach(async () => {
    await bill('1001', '2026-10', 984);
  });

  it('become overdue ten minutes after the last change, and only those without a provider id', async () => {
    const unknown = await start();
    clock.advance(3 * 60_000);
    const known = await start();
    await payments.recordProviderRequest(known.reference, { providerId: 'INV-2' });
    clock.set('2026-11-20T10:09:59.999Z');
    expect(await payments.unknownOverdue()).toEqual([]);
    clock.set('2026-11-20T10:10:00.000Z');
    expect((await payments.unknownOverdue()).map((p) => p.reference)).toEqual([unknown.reference]);
    clock.set('2026-11-20T11:00:00.000Z');
    expect((await payments.unknownOverdue()).map((p) => p.reference)).toEqual([unknown.reference]);
  });

  it('the payer is told once that nothing was confirmed, and a late completion alerts operations', async () => {
    const p = await start();
    clock.set('2026-11-20T10:10:00.000Z');
    expect(await payments.expireUnknown(p.reference)).toBe(true);
    expect(await payments.expireUnknown(p.reference)).toBe(false);
    expect(await payments.unknownOverdue()).toEqual([]);
    expect(outboxRows(repos)).toEqual([
      {
        key: `payment:${p.reference}:expired`,
        to: ['+254711000111'],
        text: `rolax Water: No M-Pesa payment of KES 984 for a/c 1001 was confirmed (ref ${p.reference}). If you were charged, a receipt follows. To pay dial *384*1234#.`,
      },
    ]);
    const history = await repos.payments.history(p.reference);
    expect(history.at(-1)).toMatchObject({
      fromState: 'PENDING',
      toState: 'PENDING',
      rawState: 'EXPIRED',
      applied: false,
      receivedAt: '2026-11-20T10:10:00.000Z',
    });

    clock.set('2026-11-20T10:30:00.000Z');
    const r = await payments.applyPaymentEvent(
      eventWithoutId(p.reference, 'COMPLETE', { amount: 984, providerReference: 'SIH9' }),
    );
    expect(r).toMatchObject({ changed: true, becameFinal: true });
    const rows = outboxRows(repos);
    expect(rows).toHaveLength(3);
    expect(rows[1]?.to).toEqual(['+254700000001']);
    expect(rows[1]?.key).toMatch(new RegExp(`^payment:${p.reference}:late:[0-9a-f]{16}$`));
    expect(rows[1]?.text).toBe(
      `LATE PAYMENT ${p.reference} KES 984 a/c 1001 completed after the payer was told it was not confirmed. Credited; please call the customer.`,
    );
    expect(rows[2]).toMatchObject({ key: `payment:${p.reference}:receipt`, to: ['+254711000111'] });
    expect(rows[2]?.text).toContain('Balance KES 0');
  });

  it('a completion that was never expired does not alert operations', async () => {
    const p = await start();
    await payments.applyPaymentEvent(eventWithoutId(p.reference, 'COMPLETE', { amount: 984 }));
    expect(outboxRows(repos).map((r) => r.key)).toEqual([`payment:${p.reference}:receipt`]);
  });

  it('are not expired when unknown, already settled, or matched to a provider invoice', async () => {
    expect(await payments.expireUnknown('PAY-1001-202610-9')).toBe(false);
    const a = await start();
    await payments.recordProviderRequest(a.reference, { providerId: 'INV-1' });
    expect(await payments.expireUnknown(a.reference)).toBe(false);
    await payments.applyPaymentEvent(eventWithoutId(a.reference, 'FAILED'));
    const b = await start();
    await payments.applyPaymentEvent(eventWithoutId(b.reference, 'PROCESSING'));
    expect(await payments.expireUnknown(b.reference)).toBe(false);
    expect(outboxRows(repos).filter((r) => r.key.endsWith(':expired'))).toEqual([]);
  });

  it('an unknown push failure keeps the message, or says the outcome is unknown', async () => {
    const p = await start();
    expect(await payments.recordPushFailure(p.reference, { definite: false })).toMatchObject({
      changed: false,
      becameFinal: false,
      payment: { state: 'PENDING', failureMessage: 'push outcome unknown' },
    });
    expect(await payments.recordPushFailure('PAY-1001-202610-9', { definite: false })).toEqual({
      changed: false,
      becameFinal: false,
      payment: null,
    });
  });

  it('a definite push failure keeps its reason and message', async () => {
    const p = await start();
    expect(
      await payments.recordPushFailure(p.reference, { definite: true, reason: 'unreachable', message: 'Bad MSISDN' }),
    ).toMatchObject({
      changed: true,
      becameFinal: true,
      payment: { state: 'FAILED', failureReason: 'unreachable', failureMessage: 'Bad MSISDN' },
    });
  });
});
