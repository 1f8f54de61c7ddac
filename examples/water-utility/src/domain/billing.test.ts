import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, type TestClock, testClock } from '../db/test-support.js';
import { type BillingService, createBillingService, DEFAULT_TARIFF, tariffCharge, tariffSchema } from './billing.js';

describe('tariffCharge', () => {
  const total = (m3: number) => tariffCharge(DEFAULT_TARIFF, m3).total;

  it('charges each block only for the m3 inside it', () => {
    expect(total(0)).toBe(200);
    expect(total(6)).toBe(200 + 6 * 53);
    expect(total(12)).toBe(200 + 6 * 53 + 6 * 69);
    expect(total(20)).toBe(200 + 6 * 53 + 14 * 69);
    expect(total(35)).toBe(200 + 6 * 53 + 14 * 69 + 15 * 85);
    expect(total(50)).toBe(200 + 6 * 53 + 14 * 69 + 30 * 85);
    expect(total(62.5)).toBe(200 + 6 * 53 + 14 * 69 + 30 * 85 + 12.5 * 100);
  });

  it('rounds the total, not each block, to whole shillings', () => {
    // 200 + 318 + 6.345 * 69 = 955.805
    expect(total(12.345)).toBe(956);
    expect(tariffCharge(DEFAULT_TARIFF, 35).lines).toEqual([
      { from: 0, to: 6, m3: 6, price: 53, amount: 318 },
      { from: 6, to: 20, m3: 14, price: 69, amount: 966 },
      { from: 20, to: 50, m3: 15, price: 85, amount: 1275 },
    ]);
  });

  it('validates a tariff', () => {
    expect(tariffSchema.safeParse(DEFAULT_TARIFF).success).toBe(true);
    const bad = tariffSchema.safeParse({
      fixedCharge: -1,
      blocks: [
        { upTo: 10, price: 50 },
        { upTo: 5, price: 60 },
        { upTo: 30, price: 70 },
      ],
    });
    expect(bad.success).toBe(false);
  });
});

describe('runBillingPeriod', () => {
  let clock: TestClock;
  let repos: SqliteRepositories;
  let billing: BillingService;

  beforeEach(async () => {
    clock = testClock('2026-12-02T08:00:00.000Z');
    repos = memoryRepos(clock);
    billing = createBillingService({ repos, now: clock.now });
    await addAccount(repos, '1001');
    await addAccount(repos, '2001', '+254722000222');
    await repos.readings.insertMany([
      // Midnight on 1 November in Nairobi is 21:00 UTC the day before.
      { meterId: 'MTR-1001', value: 100, at: '2026-10-31T21:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-1001', value: 105, at: '2026-11-15T06:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-1001', value: 112.5, at: '2026-11-30T21:00:00.000Z', source: 'sensor' },
      // 01:00 on 1 December in Nairobi: December's water.
      { meterId: 'MTR-1001', value: 113, at: '2026-11-30T22:00:00.000Z', source: 'sensor' },
    ]);
  });

  it('bills each account once per period from its readings', async () => {
    const run = await billing.runBillingPeriod({ period: '2026-11' });
    expect(run).toMatchObject({ ok: true, existing: 0, skipped: [{ account: '2001', reason: 'no_readings' }] });
    expect(run.ok && run.created).toHaveLength(1);
    const bill = await repos.bills.getByPeriod('1001', '2026-11');
    expect(bill).toMatchObject({
      periodStart: '2026-11-01',
      periodEnd: '2026-11-30',
      openingReading: 100,
      closingReading: 112.5,
      consumption: 12.5,
      amount: 967, // 200 + 6 * 53 + 6.5 * 69 = 966.5
      balance: 967,
      status: 'open',
      dueDate: '2026-12-14',
    });

    const again = await billing.runBillingPeriod({ period: '2026-11' });
    expect(again).toMatchObject({ ok: true, created: [], existing: 1 });
    expect(await repos.bills.list({ account: '1001' })).toHaveLength(1);
  });

  it('takes account credit off the new bill', async () => {
    await repos.accounts.setCredit('1001', 100);
    await billing.runBillingPeriod({ period: '2026-11', dueDays: 7 });
    expect(await repos.bills.getByPeriod('1001', '2026-11')).toMatchObject({
      amount: 967,
      creditApplied: 100,
      balance: 867,
      dueDate: '2026-12-07',
    });
    expect((await repos.accounts.get('1001'))?.credit).toBe(0);
  });

  it('uses a tariff given for the run', async () => {
    await billing.runBillingPeriod({
      period: '2026-11',
      tariff: { currency: 'KES', fixedCharge: 0, blocks: [{ upTo: null, price: 10 }] },
    });
    expect((await repos.bills.getByPeriod('1001', '2026-11'))?.amount).toBe(125);
  });

  it('refuses a period that has not ended or is malformed', async () => {
    expect(await billing.runBillingPeriod({ period: '2026-12' })).toMatchObject({
      ok: false,
      reason: 'period_not_ended',
    });
    expect(await billing.runBillingPeriod({ period: 'Nov' })).toMatchObject({ ok: false, reason: 'invalid_period' });
  });

  it('refuses a second run of a period while one is in progress, on this node or another', async () => {
    const other = createBillingService({ repos, now: clock.now, node: 'node-b' });
    const first = billing.runBillingPeriod({ period: '2026-11' });
    const second = billing.runBillingPeriod({ period: '2026-11' });
    const elsewhere = other.runBillingPeriod({ period: '2026-11' });
    expect(await second).toMatchObject({ ok: false, reason: 'run_in_progress' });
    expect(await elsewhere).toMatchObject({ ok: false, reason: 'run_in_progress' });
    const done = await first;
    expect(done.ok && done.created).toHaveLength(1);
    // Once it has finished the lease is free: a run again finds the bill and changes nothing.
    expect(await other.runBillingPeriod({ period: '2026-11' })).toMatchObject({ ok: true, created: [], existing: 1 });
    expect(await repos.bills.list({ account: '1001' })).toHaveLength(1);
  });

  it('runs a period whose last run died once that lease has lapsed, and takes credit off once', async () => {
    await repos.accounts.setCredit('1001', 100);
    // What a node killed during its run leaves behind.
    expect(await repos.jobLeases.tryAcquire('billing:2026-11', 'dead-node:1', 60_000)).toBe(true);
    expect(await billing.runBillingPeriod({ period: '2026-11' })).toMatchObject({ reason: 'run_in_progress' });
    clock.advance(60_000);
    const run = await billing.runBillingPeriod({ period: '2026-11' });
    expect(run.ok && run.created.map((b) => b.account)).toEqual(['1001']);
    clock.advance(1_000);
    expect(await billing.runBillingPeriod({ period: '2026-11' })).toMatchObject({ ok: true, created: [], existing: 1 });
    expect(await repos.bills.getByPeriod('1001', '2026-11')).toMatchObject({ creditApplied: 100, balance: 867 });
    expect((await repos.accounts.get('1001'))?.credit).toBe(0);
  });
});
