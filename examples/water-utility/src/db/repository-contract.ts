// The behaviour every implementation of the water service's repositories shares, run against SQLite and
// PostgreSQL alike: `repositoryContract('postgres', async (clock) => ({ repos, teardown }))`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewBill, Repositories } from '../domain/ports.js';
import { type TestClock, testClock } from './test-support.js';

export interface RepositoriesUnderTest {
  repos: Repositories;
  teardown(): Promise<void>;
}

const PHONE = '+254711000111';
const OTHER = '+254722000222';

export function repositoryContract(name: string, setup: (clock: TestClock) => Promise<RepositoriesUnderTest>): void {
  describe(`${name} repositories contract`, () => {
    let t: RepositoriesUnderTest;
    let repos: Repositories;
    let clock: TestClock;
    beforeEach(async () => {
      clock = testClock();
      t = await setup(clock);
      repos = t.repos;
    });
    afterEach(async () => {
      await t?.teardown();
    });

    const account = async (number = '1001', phone = PHONE) => {
      const customer = await repos.customers.upsert({ code: `C-${number}`, name: `Customer ${number}` });
      await repos.customers.addPhone(customer.id, phone);
      await repos.accounts.upsert({ number, customerId: customer.id, name: 'Amina', zone: 'A', location: 'Kahawa' });
      await repos.accounts.linkPhone(number, phone);
      await repos.meters.upsert({ id: `MTR-${number}`, account: number, sensorId: `SN-${number}` });
      return customer;
    };
    const newBill = (over: Partial<NewBill> = {}): NewBill => ({
      account: '1001',
      period: '2026-10',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      openingReading: 100.125,
      closingReading: 112.5,
      consumption: 12.375,
      amount: 1234.56,
      creditApplied: 0.1,
      dueDate: '2026-11-15',
      ...over,
    });

    it('upserts customers by code and finds them by phone', async () => {
      const a = await repos.customers.upsert({ code: 'C-1', name: 'Amina' });
      const b = await repos.customers.upsert({ code: 'C-1', name: 'Amina W.' });
      expect(b).toMatchObject({ id: a.id, code: 'C-1', name: 'Amina W.', createdAt: '2026-11-20T10:00:00.000Z' });
      await repos.customers.addPhone(a.id, PHONE);
      await repos.customers.addPhone(a.id, PHONE);
      await repos.customers.addPhone(a.id, OTHER);
      expect(await repos.customers.phones(a.id)).toEqual([PHONE, OTHER]);
      expect((await repos.customers.findByPhone(OTHER))?.id).toBe(a.id);
      expect(await repos.customers.findByPhone('+254700000000')).toBeNull();
      expect(await repos.customers.get(a.id + 100)).toBeNull();
    });

    it('upserts accounts keeping the customer and status an update leaves out', async () => {
      const customer = await account();
      await repos.accounts.upsert({
        number: '1001',
        customerId: customer.id,
        name: 'A',
        zone: 'A',
        location: 'K',
        status: 'suspended',
      });
      const updated = await repos.accounts.upsert({ number: '1001', name: 'B', zone: 'Z', location: 'L' });
      expect(updated).toMatchObject({ customerId: customer.id, status: 'suspended', name: 'B', zone: 'Z', credit: 0 });
      await repos.accounts.upsert({ number: '1002', name: 'C', zone: 'A', location: 'K' });
      expect((await repos.accounts.get('1002'))?.status).toBe('active');
      expect((await repos.accounts.list({ status: 'active' })).map((a) => a.number)).toEqual(['1002']);
      expect((await repos.accounts.list()).map((a) => a.number)).toEqual(['1001', '1002']);
      expect(await repos.accounts.get('9999')).toBeNull();
    });

    it('links phones to accounts once and keeps credit exact', async () => {
      await account('1001');
      await account('1002', OTHER);
      clock.advance(1_000);
      await repos.accounts.linkPhone('1002', PHONE);
      await repos.accounts.linkPhone('1002', PHONE);
      expect((await repos.accounts.forPhone(PHONE)).map((a) => a.number)).toEqual(['1001', '1002']);
      expect(await repos.accounts.phones('1002')).toEqual([OTHER, PHONE]);
      await repos.accounts.setCredit('1001', 0.1 + 0.2);
      expect((await repos.accounts.get('1001'))?.credit).toBe(0.3);
    });

    it('finds meters by sensor id in the order asked, and lists an account’s active meters', async () => {
      await account('1001');
      await account('1002');
      await repos.meters.upsert({ id: 'MTR-X', account: '1001', sensorId: 'SN-X', status: 'removed' });
      const found = await repos.meters.findBySensorIds(['SN-1002', 'SN-missing', 'SN-1001', 'SN-1002']);
      expect(found.map((m) => m.id)).toEqual(['MTR-1002', 'MTR-1001']);
      expect(await repos.meters.findBySensorIds([])).toEqual([]);
      expect((await repos.meters.forAccount('1001')).map((m) => m.id)).toEqual(['MTR-1001']);
    });

    it('stores readings once per meter and time, and answers range questions', async () => {
      await account();
      const r = (at: string, value: number) => ({ meterId: 'MTR-1001', at, value, source: 'sensor' as const });
      const first = await repos.readings.insertMany([
        r('2026-11-01T00:00:00.000Z', 100),
        r('2026-11-02T00:00:00Z', 100.25),
        r('2026-11-03T00:00:00.000Z', 101.5),
      ]);
      expect(first).toEqual({ inserted: 3, duplicates: 0 });
      expect(
        await repos.readings.insertMany([r('2026-11-02T00:00:00.000Z', 9), r('2026-11-04T00:00:00.000Z', 102)]),
      ).toEqual({
        inserted: 1,
        duplicates: 1,
      });
      expect(await repos.readings.latest('MTR-1001')).toEqual(r('2026-11-04T00:00:00.000Z', 102));
      expect((await repos.readings.latestAtOrBefore('MTR-1001', '2026-11-02T12:00:00Z'))?.value).toBe(100.25);
      expect(
        (await repos.readings.earliestInRange('MTR-1001', '2026-11-02T00:00:00Z', '2026-11-04T00:00:00Z'))?.value,
      ).toBe(100.25);
      expect(
        (await repos.readings.range('MTR-1001', '2026-11-02T00:00:00Z', '2026-11-04T00:00:00Z')).map((x) => x.value),
      ).toEqual([100.25, 101.5]);
      expect(await repos.readings.latest('MTR-none')).toBeNull();
      expect(await repos.readings.insertMany([])).toEqual({ inserted: 0, duplicates: 0 });
    });

    it('creates one bill per account and period, with exact money and volumes', async () => {
      await account();
      const { bill, created } = await repos.bills.create(newBill());
      expect(created).toBe(true);
      expect(bill).toMatchObject({
        account: '1001',
        amount: 1234.56,
        creditApplied: 0.1,
        balance: 1234.46,
        paid: 0,
        status: 'open',
        openingReading: 100.125,
        consumption: 12.375,
      });
      const again = await repos.bills.create(newBill({ amount: 1 }));
      expect(again).toEqual({ bill, created: false });
      const covered = await repos.bills.create(newBill({ period: '2026-11', amount: 5, creditApplied: 5 }));
      expect(covered.bill).toMatchObject({ status: 'paid', balance: 0 });
      expect(await repos.bills.get(bill.id)).toEqual(bill);
      expect(await repos.bills.getByPeriod('1001', '2026-10')).toEqual(bill);
      expect((await repos.bills.latestForAccount('1001'))?.period).toBe('2026-11');
      expect((await repos.bills.unpaidForAccount('1001')).map((b) => b.period)).toEqual(['2026-10']);
      expect((await repos.bills.list({ status: 'paid' })).map((b) => b.period)).toEqual(['2026-11']);
      expect((await repos.bills.list({ account: '1001', limit: 1 })).map((b) => b.period)).toEqual(['2026-11']);
      expect((await repos.bills.list({ period: '2026-10' })).map((b) => b.id)).toEqual([bill.id]);
      clock.advance(60_000);
      const paid = await repos.bills.updateBalance(bill.id, {
        paid: 1000.01,
        balance: 234.45,
        status: 'partially_paid',
      });
      expect(paid).toMatchObject({
        paid: 1000.01,
        balance: 234.45,
        status: 'partially_paid',
        updatedAt: '2026-11-20T10:01:00.000Z',
      });
      await expect(repos.bills.updateBalance(bill.id + 100, { paid: 1, balance: 1, status: 'open' })).rejects.toThrow();
    });

    it('records payments and moves them forward without losing what an update leaves out', async () => {
      await account();
      const { bill } = await repos.bills.create(newBill());
      const input = {
        account: '1001',
        billId: bill.id,
        phone: PHONE,
        amount: 500.5,
        currency: 'KES',
        provider: 'intasend',
      };
      const p1 = await repos.payments.create({ ...input, reference: 'PAY-1001-202610-1', attempt: 1 });
      expect(p1).toMatchObject({
        state: 'PENDING',
        amount: 500.5,
        providerId: null,
        paidAmount: null,
        completedAt: null,
      });
      await expect(repos.payments.create({ ...input, reference: 'PAY-1001-202610-1b', attempt: 1 })).rejects.toThrow();
      await repos.payments.create({ ...input, reference: 'PAY-1001-202610-2', attempt: 2 });
      expect(await repos.payments.lastAttempt(bill.id)).toBe(2);
      expect(await repos.payments.lastAttempt(bill.id + 100)).toBe(0);
      await repos.payments.update('PAY-1001-202610-1', { state: 'PROCESSING', providerId: 'INV-1' });
      const done = await repos.payments.update('PAY-1001-202610-1', {
        state: 'COMPLETE',
        paidAmount: 500.5,
        mpesaReference: 'QK123',
        completedAt: '2026-11-20T10:00:05.000Z',
      });
      expect(done).toMatchObject({
        state: 'COMPLETE',
        providerId: 'INV-1',
        paidAmount: 500.5,
        mpesaReference: 'QK123',
      });
      expect((await repos.payments.getByProviderId('INV-1'))?.reference).toBe('PAY-1001-202610-1');
      expect((await repos.payments.activeForBill(bill.id)).map((p) => p.reference)).toEqual(['PAY-1001-202610-2']);
      expect((await repos.payments.list({ state: 'COMPLETE' })).map((p) => p.reference)).toEqual(['PAY-1001-202610-1']);
      expect((await repos.payments.list({ account: '1001' })).map((p) => p.attempt)).toEqual([2, 1]);
      await expect(repos.payments.update('PAY-missing', { state: 'FAILED' })).rejects.toThrow();
      await repos.payments.addHistory({
        reference: 'PAY-1001-202610-1',
        fromState: 'PENDING',
        toState: 'COMPLETE',
        rawState: 'COMPLETE',
        applied: true,
        providerUpdatedAt: null,
      });
      await repos.payments.addHistory({
        reference: 'PAY-1001-202610-1',
        fromState: 'COMPLETE',
        toState: 'COMPLETE',
        rawState: 'COMPLETE',
        applied: false,
        providerUpdatedAt: '2026-11-20T10:00:06Z',
        receivedAt: '2026-11-20T10:00:07.000Z',
      });
      expect(await repos.payments.history('PAY-1001-202610-1')).toEqual([
        expect.objectContaining({ applied: true, receivedAt: '2026-11-20T10:00:00.000Z' }),
        expect.objectContaining({ applied: false, providerUpdatedAt: '2026-11-20T10:00:06Z' }),
      ]);
      expect(await repos.payments.getByReference('PAY-none')).toBeNull();
    });

    it('numbers issues from one sequence and stamps their status changes once', async () => {
      await account();
      const ref1 = await repos.issues.nextReference();
      const ref2 = await repos.issues.nextReference();
      expect(ref1).toMatch(/^R-\d{6}$/);
      expect(Number(ref2.slice(2))).toBeGreaterThan(Number(ref1.slice(2)));
      const base = {
        category: 'leak' as const,
        description: 'pipe',
        account: '1001',
        location: null,
        reporterPhone: PHONE,
      };
      await repos.issues.create(ref1, { ...base, channel: 'ussd', inboundId: null });
      await repos.issues.create(ref2, { ...base, channel: 'sms', inboundId: 'ATXid_1' });
      await expect(
        repos.issues.create('R-999999', { ...base, channel: 'sms', inboundId: 'ATXid_1' }),
      ).rejects.toThrow();
      expect((await repos.issues.getByInboundId('ATXid_1'))?.reference).toBe(ref2);
      expect((await repos.issues.list({ channel: 'ussd' })).map((i) => i.reference)).toEqual([ref1]);
      expect((await repos.issues.list()).map((i) => i.reference)).toEqual([ref2, ref1]);
      const ack = await repos.issues.updateStatus(ref1, 'acknowledged', '2026-11-20T11:00:00.000Z');
      await repos.issues.updateStatus(ref1, 'acknowledged', '2026-11-20T12:00:00.000Z');
      const resolved = await repos.issues.updateStatus(ref1, 'resolved', '2026-11-20T13:00:00.000Z');
      expect(ack.acknowledgedAt).toBe('2026-11-20T11:00:00.000Z');
      expect(resolved).toMatchObject({
        status: 'resolved',
        acknowledgedAt: '2026-11-20T11:00:00.000Z',
        resolvedAt: '2026-11-20T13:00:00.000Z',
      });
      expect((await repos.issues.list({ status: 'resolved', account: '1001', category: 'leak' })).length).toBe(1);
      await expect(repos.issues.updateStatus('R-none', 'resolved', '2026-11-20T13:00:00.000Z')).rejects.toThrow();
    });

    it('logs SMS and applies what the provider answers', async () => {
      const id = await repos.smsLog.record({
        direction: 'out',
        outboxKey: 'k1',
        to: PHONE,
        text: 'hi',
        status: 'queued',
      });
      expect(typeof id).toBe('number');
      await repos.smsLog.record({ direction: 'in', from: OTHER, to: '20880', text: 'BAL', status: 'received' });
      await repos.smsLog.markSent('k1', PHONE, { status: 'sent', providerMessageId: 'ATX-1' });
      expect(await repos.smsLog.applyDeliveryReport({ providerMessageId: 'ATX-1', status: 'Success' })).toBe(true);
      expect(await repos.smsLog.applyDeliveryReport({ providerMessageId: 'ATX-none', status: 'Failed' })).toBe(false);
      expect(await repos.smsLog.list({ phone: PHONE })).toEqual([
        expect.objectContaining({ id, status: 'sent', providerMessageId: 'ATX-1', deliveryStatus: 'Success' }),
      ]);
      expect((await repos.smsLog.list({ direction: 'in' })).map((e) => e.from)).toEqual([OTHER]);
      expect(await repos.smsLog.list({ limit: 1 })).toHaveLength(1);
    });

    it('writes an outbox outcome to the SMS log rows queued under its key', async () => {
      await repos.smsLog.record({ direction: 'out', outboxKey: 'k1', to: PHONE, text: 'hi', status: 'queued' });
      await repos.smsLog.record({ direction: 'out', outboxKey: 'k1', to: OTHER, text: 'hi', status: 'queued' });
      await repos.outbox.add({ key: 'k1', message: { to: [PHONE, OTHER], text: 'hi' }, createdAt: 1 });
      await repos.outbox.claimDue(2, 10, 30_000);
      await repos.outbox.markFailed('k1', 1, 'PROVIDER_REJECTED: bad', {
        recipients: [{ to: PHONE, status: 'accepted', messageId: 'ATX-9' }],
      });
      const log = await repos.smsLog.list({ direction: 'out' });
      expect(log.find((e) => e.to === PHONE)).toMatchObject({ status: 'sent', providerMessageId: 'ATX-9' });
      expect(log.find((e) => e.to === OTHER)).toMatchObject({
        status: 'failed',
        failureReason: 'PROVIDER_REJECTED: bad',
      });
      expect(await repos.outbox.get('k1')).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('marks inbound ids once and keeps language preferences', async () => {
      expect(await repos.inbound.markProcessed('sms', 'a')).toBe(true);
      expect(await repos.inbound.markProcessed('sms', 'a')).toBe(false);
      expect(await repos.inbound.markProcessed('webhook', 'a')).toBe(true);
      expect(await repos.inbound.isProcessed('sms', 'a')).toBe(true);
      expect(await repos.inbound.isProcessed('sms', 'b')).toBe(false);
      expect(await repos.preferences.getLanguage(PHONE)).toBeNull();
      await repos.preferences.setLanguage(PHONE, 'sw');
      await repos.preferences.setLanguage(PHONE, 'en');
      expect(await repos.preferences.getLanguage(PHONE)).toBe('en');
    });

    it('commits a transaction whole, rolls it back whole, and nests as a savepoint', async () => {
      const acct = (number: string) => ({ number, name: number, zone: 'A', location: 'K' });
      await expect(
        repos.transaction(async (tx) => {
          await tx.accounts.upsert(acct('1'));
          await tx.outbox.add({ key: 'k', message: { to: [PHONE], text: 'x' }, createdAt: 1 });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await repos.accounts.list()).toEqual([]);
      expect(await repos.outbox.get('k')).toBeNull();
      await repos.transaction(async (tx) => {
        await tx.accounts.upsert(acct('1'));
        await expect(
          tx.transaction(async (inner) => {
            await inner.accounts.upsert(acct('2'));
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
        await tx.accounts.upsert(acct('3'));
      });
      expect((await repos.accounts.list()).map((a) => a.number)).toEqual(['1', '3']);
    });

    it('loses no update when many transactions change the same bill at once', async () => {
      await account();
      const { bill } = await repos.bills.create(newBill({ amount: 100, creditApplied: 0 }));
      await Promise.all(
        Array.from({ length: 20 }, () =>
          repos.transaction(async (tx) => {
            const current = (await tx.bills.get(bill.id))!;
            await new Promise((r) => setTimeout(r, 1));
            await tx.bills.updateBalance(bill.id, {
              paid: current.paid + 0.01,
              balance: current.balance - 0.01,
              status: 'partially_paid',
            });
          }),
        ),
      );
      expect(await repos.bills.get(bill.id)).toMatchObject({ paid: 0.2, balance: 99.8 });
    });

    it('leases a job to one holder at a time, until the lease lapses or is released', async () => {
      const leases = repos.jobLeases;
      expect(await leases.get('reconcile')).toBeNull();
      expect(await leases.tryAcquire('reconcile', 'node-a', 60_000)).toBe(true);
      expect(await leases.tryAcquire('reconcile', 'node-b', 60_000)).toBe(false);
      expect(await leases.get('reconcile')).toEqual({ holder: 'node-a', until: '2026-11-20T10:01:00.000Z' });
      // The holder asking again extends its own lease; another job's lease is a lease of its own.
      clock.advance(30_000);
      expect(await leases.tryAcquire('reconcile', 'node-a', 60_000)).toBe(true);
      expect(await leases.get('reconcile')).toEqual({ holder: 'node-a', until: '2026-11-20T10:01:30.000Z' });
      expect(await leases.tryAcquire('billing:2026-10', 'node-b', 600_000)).toBe(true);
      // Held up to the last millisecond; once it lapses another holder takes it, and the old one cannot renew.
      clock.advance(59_999);
      expect(await leases.tryAcquire('reconcile', 'node-b', 60_000)).toBe(false);
      clock.advance(1);
      expect(await leases.get('reconcile')).toBeNull();
      expect(await leases.tryAcquire('reconcile', 'node-b', 60_000)).toBe(true);
      expect(await leases.renew('reconcile', 'node-a', 60_000)).toBe(false);
      await leases.release('reconcile', 'node-a');
      expect((await leases.get('reconcile'))?.holder).toBe('node-b');
      expect(await leases.renew('reconcile', 'node-b', 120_000)).toBe(true);
      expect(await leases.get('reconcile')).toEqual({ holder: 'node-b', until: '2026-11-20T10:03:30.000Z' });
      await leases.release('reconcile', 'node-b');
      expect(await leases.get('reconcile')).toBeNull();
      expect(await leases.renew('reconcile', 'node-b', 60_000)).toBe(false);
      expect(await leases.tryAcquire('reconcile', 'node-a', 60_000)).toBe(true);
      expect((await leases.get('billing:2026-10'))?.holder).toBe('node-b');
    });

    it('gives a free or lapsed lease to exactly one of many holders asking at once', async () => {
      const race = (name: string) =>
        Promise.all(Array.from({ length: 12 }, (_, i) => repos.jobLeases.tryAcquire(name, `node-${i}`, 1_000)));
      for (const name of ['a', 'b', 'c']) {
        const first = await race(name);
        expect(first.filter(Boolean)).toHaveLength(1);
        expect((await repos.jobLeases.get(name))?.holder).toBe(`node-${first.indexOf(true)}`);
      }
      clock.advance(1_000);
      for (const name of ['a', 'b', 'c']) expect((await race(name)).filter(Boolean)).toHaveLength(1);
    });

    it('keeps sessions and answers ping', async () => {
      await repos.sessions.set('s1', 'v', 60);
      expect(await repos.sessions.get('s1')).toBe('v');
      expect(await repos.sessions.setIfAbsent('lock', 'a', 5_000)).toBe(true);
      expect(await repos.sessions.setIfAbsent('lock', 'b', 5_000)).toBe(false);
      await repos.ping();
    });
  });
}
