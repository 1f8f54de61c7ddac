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

const tariffIssues = (input: unknown) => {
  const r = tariffSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tariffSchema', () => {
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

  it.each<[string, unknown, string[]]>([
    ['a missing fixed charge', { blocks: [{ upTo: null, price: 10 }] }, ['fixedCharge: required (a number of KES)']],
    [
      'a fixed charge that is not a number',
      { fixedCharge: '200', blocks: [{ upTo: null, price: 10 }] },
      ['fixedCharge: must be a number of KES'],
    ],
    ['missing blocks', { fixedCharge: 200 }, ['blocks: required (a list of { upTo, price })']],
    ['blocks that are not a list', { fixedCharge: 200, blocks: 'flat' }, ['blocks: must be a list of { upTo, price }']],
    [
      'a block without a price',
      { fixedCharge: 200, blocks: [{ upTo: null }] },
      ['blocks.0.price: required (KES per m3)'],
    ],
    [
      'a price that is not a number',
      { fixedCharge: 200, blocks: [{ upTo: null, price: 'x' }] },
      ['blocks.0.price: must be KES per m3'],
    ],
    [
      'two blocks with the same limit',
      {
        fixedCharge: 0,
        blocks: [
          { upTo: 10, price: 1 },
          { upTo: 10, price: 2 },
          { upTo: null, price: 3 },
        ],
      },
      ['blocks.1.upTo: block limits must increase'],
    ],
    [
      'an open-ended block before the last, and a last block with a limit',
      {
        fixedCharge: 0,
        blocks: [
          { upTo: 10, price: 1 },
          { upTo: null, price: 2 },
          { upTo: 15, price: 3 },
        ],
      },
      [
        'blocks.1.upTo: only the last block may be open-ended',
        'blocks.2.upTo: the last block must be open-ended (null)',
      ],
    ],
    [
      'an open-ended block before the last, and a last limit lower than the one before',
      {
        fixedCharge: 0,
        blocks: [
          { upTo: 10, price: 1 },
          { upTo: null, price: 2 },
          { upTo: 5, price: 3 },
        ],
      },
      [
        'blocks.1.upTo: only the last block may be open-ended',
        'blocks.2.upTo: block limits must increase',
        'blocks.2.upTo: the last block must be open-ended (null)',
      ],
    ],
    [
      'a single block with a limit',
      { fixedCharge: 0, blocks: [{ upTo: 10, price: 1 }] },
      ['blocks.0.upTo: the last block must be open-ended (null)'],
    ],
  ])('explains %s', (_, input, expected) => {
    expect(tariffIssues(input)).toEqual(expected);
  });

  it.each<[string, unknown, string[]]>([
    ['a negative fixed charge', { fixedCharge: -1, blocks: [{ upTo: null, price: 1 }] }, ['fixedCharge']],
    ['a negative price', { fixedCharge: 1, blocks: [{ upTo: null, price: -1 }] }, ['blocks.0.price']],
    ['no blocks', { fixedCharge: 1, blocks: [] }, ['blocks']],
    [
      'a zero limit',
      {
        fixedCharge: 1,
        blocks: [
          { upTo: 0, price: 1 },
          { upTo: null, price: 1 },
        ],
      },
      ['blocks.0.upTo', 'blocks.0.upTo'],
    ],
  ])('refuses %s, naming the field', (_, input, paths) => {
    expect(tariffIssues(input).map((issue) => issue.split(': ')[0])).toEqual(paths);
  });

  it('takes free water and no fixed charge, defaulting the currency to KES', () => {
    expect(tariffSchema.parse({ fixedCharge: 0, blocks: [{ upTo: null, price: 0 }] })).toEqual({
      currency: 'KES',
      fixedCharge: 0,
      blocks: [{ upTo: null, price: 0 }],
    });
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

describe('runBillingPeriod at the end of a period, with service defaults, credit, inactive accounts and the run lease', () => {
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
