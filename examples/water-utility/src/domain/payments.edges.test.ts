import type { PaymentEvent } from '@rolax/ussd-core/providers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, outboxRows, TEST_BRAND, type TestClock, testClock } from '../db/test-support.js';
import { createPaymentService, type PaymentService, paymentReference } from './payments.js';

let clock: TestClock;
let repos: SqliteRepositories;
let payments: PaymentService;

const bill = (period: string, amount: number, account = '1001') =>
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
  providerId: '',
  reference,
  state,
  rawState: state,
  ...extra,
});

const ask = (amount?: number, phone = '+254711000111') => payments.startBillPayment({ account: '1001', phone, amount });

async function start(amount?: number, phone?: string) {
  const r = await ask(amount, phone);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  return r.payment;
}

beforeEach(async () => {
  clock = testClock('2026-11-20T10:00:00.000Z');
  repos = memoryRepos(clock);
  payments = createPaymentService({ repos, brand: TEST_BRAND, now: clock.now, opsPhones: ['+254700000001'] });
  await addAccount(repos, '1001');
});

describe('paymentReference', () => {
  it('names the account, the period without its dash and the attempt', () => {
    expect(paymentReference('1001', '2026-10', 3)).toBe('PAY-1001-202610-3');
  });
});

describe('startBillPayment limits', () => {
  beforeEach(async () => {
    await bill('2026-10', 984.4);
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
    await bill('2026-10', 984);
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
    await bill('2026-10', 984);
    const p = await start();
    clock.advance(60_000);
    await payments.applyPaymentEvent(event(p.reference, 'PROCESSING'));
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
    await bill('2026-10', 984);
    const p = await start();
    clock.advance(999);
    expect(await payments.blockingPayment('1001')).not.toBeNull();
    clock.advance(1);
    expect(await payments.blockingPayment('1001')).toBeNull();
    await payments.applyPaymentEvent(event(p.reference, 'PROCESSING'));
    clock.advance(1999);
    expect(await payments.blockingPayment('1001')).not.toBeNull();
    clock.advance(1);
    expect(await payments.blockingPayment('1001')).toBeNull();
  });
});

describe('pushes with an unknown outcome', () => {
  beforeEach(async () => {
    await bill('2026-10', 984);
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
      event(p.reference, 'COMPLETE', { amount: 984, providerReference: 'SIH9' }),
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
    await payments.applyPaymentEvent(event(p.reference, 'COMPLETE', { amount: 984 }));
    expect(outboxRows(repos).map((r) => r.key)).toEqual([`payment:${p.reference}:receipt`]);
  });

  it('are not expired when unknown, already settled, or matched to a provider invoice', async () => {
    expect(await payments.expireUnknown('PAY-1001-202610-9')).toBe(false);
    const a = await start();
    await payments.recordProviderRequest(a.reference, { providerId: 'INV-1' });
    expect(await payments.expireUnknown(a.reference)).toBe(false);
    await payments.applyPaymentEvent(event(a.reference, 'FAILED'));
    const b = await start();
    await payments.applyPaymentEvent(event(b.reference, 'PROCESSING'));
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

describe('applyPaymentEvent details', () => {
  beforeEach(async () => {
    await bill('2026-10', 984);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, undefined])(
    'a completion reporting amount %s credits the amount asked',
    async (amount) => {
      const p = await start(500);
      const r = await payments.applyPaymentEvent(event(p.reference, 'COMPLETE', { amount }));
      expect(r.payment?.paidAmount).toBe(500);
      expect((await repos.bills.getByPeriod('1001', '2026-10'))?.balance).toBe(484);
    },
  );

  it('a completion credits the amount the provider reports', async () => {
    const p = await start(500);
    const r = await payments.applyPaymentEvent(event(p.reference, 'COMPLETE', { amount: 700 }));
    expect(r.payment).toMatchObject({ paidAmount: 700, completedAt: '2026-11-20T10:00:00.000Z' });
    expect((await repos.bills.getByPeriod('1001', '2026-10'))?.balance).toBe(284);
  });

  it('keeps the first provider id, even from an event that changes nothing', async () => {
    const p = await start();
    await payments.applyPaymentEvent(event(p.reference, 'PENDING', { providerId: 'INV-A' }));
    expect((await repos.payments.getByReference(p.reference))?.providerId).toBe('INV-A');
    await payments.applyPaymentEvent(event(p.reference, 'PENDING', { providerId: 'INV-B' }));
    const r = await payments.applyPaymentEvent(event(p.reference, 'PROCESSING', { providerId: 'INV-C' }));
    expect(r.payment?.providerId).toBe('INV-A');
  });

  it('a forward event stores the provider id when none is known', async () => {
    const p = await start();
    const r = await payments.applyPaymentEvent(event(p.reference, 'PROCESSING', { providerId: 'INV-A' }));
    expect(r.payment).toMatchObject({ state: 'PROCESSING', providerId: 'INV-A' });
    expect((await payments.applyPaymentEvent(event('', 'COMPLETE', { providerId: 'INV-A' }))).payment?.state).toBe(
      'COMPLETE',
    );
  });

  it('records the provider time of each event in the history', async () => {
    const p = await start();
    await payments.applyPaymentEvent(
      event(p.reference, 'PROCESSING', { rawState: 'PROCESSING', updatedAt: '2026-11-20T09:59:00Z' }),
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
    const r = await payments.applyPaymentEvent(event(p.reference, 'FAILED'));
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
    await payments.applyPaymentEvent(event(p.reference, 'COMPLETE', { providerReference: 'SIH7' }));
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
    await bill('2026-09', 300);
    await repos.accounts.setCredit('1001', 16);
    await payments.applyPaymentEvent(event(p.reference, 'COMPLETE', { amount: 500 }));
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({ paid: 500, balance: 484 });
    expect(await repos.bills.getByPeriod('1001', '2026-09')).toMatchObject({ paid: 0, balance: 300, status: 'open' });

    const q = await start(800);
    await payments.applyPaymentEvent(event(q.reference, 'COMPLETE', { amount: 800 }));
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
    await payments.applyPaymentEvent(event(p.reference, 'COMPLETE', { amount: 984 }));
    expect((await repos.accounts.get('1001'))?.credit).toBe(16);
  });
});
