import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, type TestClock, testClock } from '../db/test-support.js';
import { type BillingService, createBillingService, DEFAULT_TARIFF, tariffCharge, tariffSchema } from './billing.js';

const issues = (input: unknown) => {
  const r = tariffSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tariffSchema', () => {
  it('says which field is missing and what it must be', () => {
    expect(issues({ blocks: [{ upTo: null, price: 10 }] })).toEqual(['fixedCharge: required (a number of KES)']);
    expect(issues({ fixedCharge: '200', blocks: [{ upTo: null, price: 10 }] })).toEqual([
      'fixedCharge: must be a number of KES',
    ]);
    expect(issues({ fixedCharge: 200 })).toEqual(['blocks: required (a list of { upTo, price })']);
    expect(issues({ fixedCharge: 200, blocks: 'flat' })).toEqual(['blocks: must be a list of { upTo, price }']);
    expect(issues({ fixedCharge: 200, blocks: [{ upTo: null }] })).toEqual(['blocks.0.price: required (KES per m3)']);
    expect(issues({ fixedCharge: 200, blocks: [{ upTo: null, price: 'x' }] })).toEqual([
      'blocks.0.price: must be KES per m3',
    ]);
  });

  it('takes free water and no fixed charge, defaulting the currency to KES', () => {
    expect(tariffSchema.parse({ fixedCharge: 0, blocks: [{ upTo: null, price: 0 }] })).toEqual({
      currency: 'KES',
      fixedCharge: 0,
      blocks: [{ upTo: null, price: 0 }],
    });
  });

  it('refuses negative charges, no blocks and a zero limit', () => {
    expect(issues({ fixedCharge: -1, blocks: [{ upTo: null, price: 1 }] })).toHaveLength(1);
    expect(issues({ fixedCharge: 1, blocks: [{ upTo: null, price: -1 }] })).toHaveLength(1);
    expect(issues({ fixedCharge: 1, blocks: [] })).toHaveLength(1);
    expect(
      issues({
        fixedCharge: 1,
        blocks: [
          { upTo: 0, price: 1 },
          { upTo: null, price: 1 },
        ],
      })[0],
    ).toMatch(/^blocks\.0\.upTo: /);
  });

  it('wants block limits increasing, strictly, and only the last block open-ended', () => {
    expect(
      issues({
        fixedCharge: 0,
        blocks: [
          { upTo: 10, price: 1 },
          { upTo: 10, price: 2 },
          { upTo: null, price: 3 },
        ],
      }),
    ).toEqual(['blocks.1.upTo: block limits must increase']);
    expect(
      issues({
        fixedCharge: 0,
        blocks: [
          { upTo: 10, price: 1 },
          { upTo: null, price: 2 },
          { upTo: 15, price: 3 },
        ],
      }),
    ).toEqual([
      'blocks.1.upTo: only the last block may be open-ended',
      'blocks.2.upTo: the last block must be open-ended (null)',
    ]);
    expect(
      issues({
        fixedCharge: 0,
        blocks: [
          { upTo: 10, price: 1 },
          { upTo: null, price: 2 },
          { upTo: 5, price: 3 },
        ],
      }),
    ).toEqual([
      'blocks.1.upTo: only the last block may be open-ended',
      'blocks.2.upTo: block limits must increase',
      'blocks.2.upTo: the last block must be open-ended (null)',
    ]);
    expect(issues({ fixedCharge: 0, blocks: [{ upTo: 10, price: 1 }] })).toEqual([
      'blocks.0.upTo: the last block must be open-ended (null)',
    ]);
  });
});

describe('tariffCharge lines', () => {
  it('lists the open-ended block with no upper limit', () => {
    expect(tariffCharge(DEFAULT_TARIFF, 62.5)).toEqual({
      fixed: 200,
      total: 5284,
      lines: [
        { from: 0, to: 6, m3: 6, price: 53, amount: 318 },
        { from: 6, to: 20, m3: 14, price: 69, amount: 966 },
        { from: 20, to: 50, m3: 30, price: 85, amount: 2550 },
        { from: 50, to: null, m3: 12.5, price: 100, amount: 1250 },
      ],
    });
  });

  it('has no line for an empty block, and the m3 of a line is rounded to litres', () => {
    expect(tariffCharge(DEFAULT_TARIFF, 0)).toEqual({ fixed: 200, total: 200, lines: [] });
    expect(tariffCharge(DEFAULT_TARIFF, 6).lines).toEqual([{ from: 0, to: 6, m3: 6, price: 53, amount: 318 }]);
    expect(tariffCharge(DEFAULT_TARIFF, 6.1).lines).toEqual([
      { from: 0, to: 6, m3: 6, price: 53, amount: 318 },
      { from: 6, to: 20, m3: 0.1, price: 69, amount: 6.9 },
    ]);
  });

  it('rounds half a shilling up, fixed charge included', () => {
    const t = { currency: 'KES' as const, fixedCharge: 10.5, blocks: [{ upTo: null, price: 1 }] };
    expect(tariffCharge(t, 0).total).toBe(11);
    expect(tariffCharge(t, 0.4).total).toBe(11);
    expect(tariffCharge({ ...t, fixedCharge: 10.49 }, 0).total).toBe(10);
  });
});

describe('runBillingPeriod edges', () => {
  let clock: TestClock;
  let repos: SqliteRepositories;
  let billing: BillingService;

  beforeEach(async () => {
    // The instant November ends in Nairobi.
    clock = testClock('2026-11-30T21:00:00.000Z');
    repos = memoryRepos(clock);
    billing = createBillingService({ repos, now: clock.now, node: 'node-a' });
    await addAccount(repos, '1001');
    await addAccount(repos, '2001', '+254722000222');
    await repos.readings.insertMany([
      { meterId: 'MTR-1001', value: 100, at: '2026-10-31T21:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-1001', value: 110, at: '2026-11-30T20:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-2001', value: 50, at: '2026-10-31T21:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-2001', value: 52, at: '2026-11-30T20:00:00.000Z', source: 'sensor' },
    ]);
  });

  it('bills a period from the instant it has ended, not a millisecond before', async () => {
    clock.set('2026-11-30T20:59:59.999Z');
    expect(await billing.runBillingPeriod({ period: '2026-11' })).toEqual({
      ok: false,
      reason: 'period_not_ended',
      message: 'Period 2026-11 has not ended yet',
    });
    clock.set('2026-11-30T21:00:00.000Z');
    const run = await billing.runBillingPeriod({ period: '2026-11' });
    expect(run.ok && run.created.map((b) => [b.account, b.amount])).toEqual([
      ['1001', 200 + 6 * 53 + 4 * 69],
      ['2001', 200 + 2 * 53],
    ]);
  });

  it('explains a malformed period', async () => {
    expect(await billing.runBillingPeriod({ period: '2026-13' })).toEqual({
      ok: false,
      reason: 'invalid_period',
      message: 'Period must look like 2026-11, got 2026-13',
    });
  });

  it('uses the service tariff and due days unless the run gives its own', async () => {
    billing = createBillingService({
      repos,
      now: clock.now,
      tariff: { currency: 'KES', fixedCharge: 0, blocks: [{ upTo: null, price: 10 }] },
      dueDays: 30,
    });
    await billing.runBillingPeriod({ period: '2026-11' });
    expect(await repos.bills.getByPeriod('1001', '2026-11')).toMatchObject({ amount: 100, dueDate: '2026-12-30' });
    await repos.readings.insertMany([
      { meterId: 'MTR-1001', value: 90, at: '2026-09-30T21:00:00.000Z', source: 'sensor' },
    ]);
    await billing.runBillingPeriod({ period: '2026-10', dueDays: 1 });
    expect(await repos.bills.getByPeriod('1001', '2026-10')).toMatchObject({ dueDate: '2026-11-01' });
  });

  it('a December bill is due in January of the next year', async () => {
    clock.set('2027-01-05T00:00:00.000Z');
    await repos.readings.insertMany([
      { meterId: 'MTR-1001', value: 120, at: '2026-12-31T20:59:00.000Z', source: 'sensor' },
    ]);
    await billing.runBillingPeriod({ period: '2026-12' });
    expect(await repos.bills.getByPeriod('1001', '2026-12')).toMatchObject({
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      openingReading: 110,
      closingReading: 120,
      consumption: 10,
      dueDate: '2027-01-14',
    });
  });

  it('takes off no more credit than the bill, and leaves the rest on the account', async () => {
    await repos.accounts.setCredit('1001', 1000.25);
    await billing.runBillingPeriod({ period: '2026-11' });
    expect(await repos.bills.getByPeriod('1001', '2026-11')).toMatchObject({
      amount: 794,
      creditApplied: 794,
      balance: 0,
    });
    expect((await repos.accounts.get('1001'))?.credit).toBe(206.25);
    expect((await repos.accounts.get('2001'))?.credit).toBe(0);
  });

  it('bills only active accounts', async () => {
    await repos.accounts.upsert({
      number: '2001',
      name: 'Customer 2001',
      zone: 'Zone A',
      location: 'Kahawa West',
      status: 'suspended',
    });
    const run = await billing.runBillingPeriod({ period: '2026-11' });
    expect(run.ok && run.created.map((b) => b.account)).toEqual(['1001']);
    expect(await repos.bills.getByPeriod('2001', '2026-11')).toBeNull();
  });

  it('stops when another node has taken over its stalled run, and frees nothing it no longer holds', async () => {
    // Another node takes the lease while this run is busy with the first account.
    const stalling: SqliteRepositories = {
      ...repos,
      transaction: async (fn) => {
        const result = await repos.transaction(fn);
        clock.advance(60_000);
        await repos.jobLeases.tryAcquire('billing:2026-11', 'node-b:1', 60_000);
        return result;
      },
    };
    billing = createBillingService({ repos: stalling, now: clock.now, node: 'node-a' });
    expect(await billing.runBillingPeriod({ period: '2026-11' })).toEqual({
      ok: false,
      reason: 'taken_over',
      message: 'This run stalled and another run of 2026-11 took it over, after 1 bills here',
    });
    expect(await repos.jobLeases.get('billing:2026-11')).toMatchObject({ holder: 'node-b:1' });
    expect(await repos.bills.getByPeriod('2001', '2026-11')).toBeNull();
  });

  it('names the run in progress in its refusal', async () => {
    await repos.jobLeases.tryAcquire('billing:2026-11', 'node-b:1', 60_000);
    expect(await billing.runBillingPeriod({ period: '2026-11' })).toEqual({
      ok: false,
      reason: 'run_in_progress',
      message: 'A billing run for 2026-11 is in progress; try again when it has finished',
    });
    // Another period has its own lease.
    expect(await billing.runBillingPeriod({ period: '2026-10' })).toMatchObject({ ok: true });
  });

  it('holds the lease as node:run while it runs and releases it after', async () => {
    const held: (string | undefined)[] = [];
    const watching: SqliteRepositories = {
      ...repos,
      transaction: async (fn) => {
        held.push((await repos.jobLeases.get('billing:2026-11'))?.holder);
        return repos.transaction(fn);
      },
    };
    billing = createBillingService({ repos: watching, now: clock.now, node: 'node-a', leaseMs: 5_000 });
    await billing.runBillingPeriod({ period: '2026-11' });
    await billing.runBillingPeriod({ period: '2026-11' });
    expect(held).toEqual(['node-a:1', 'node-a:1', 'node-a:2', 'node-a:2']);
    expect(await repos.jobLeases.get('billing:2026-11')).toBeNull();
  });
});
