import { describe, expect, it } from 'vitest';
import { addAccount, memoryRepos, testClock } from '../db/test-support.js';
import { accountsForPhone } from './accounts.js';

describe('accountsForPhone', () => {
  it('lists each account of the phone with its balance, oldest unpaid and latest bill', async () => {
    const repos = memoryRepos(testClock('2026-11-20T10:00:00.000Z'));
    await addAccount(repos, '2001');
    await addAccount(repos, '1001');
    await addAccount(repos, '3001', '+254722000222');
    for (const [period, amount] of [
      ['2026-09', 100.25],
      ['2026-10', 200.5],
    ] as const) {
      await repos.bills.create({
        account: '2001',
        period,
        periodStart: `${period}-01`,
        periodEnd: `${period}-28`,
        openingReading: 1,
        closingReading: 2,
        consumption: 1,
        amount,
        creditApplied: 0,
        dueDate: '2026-11-14',
      });
    }
    const list = await accountsForPhone(repos, '+254711000111');
    expect(
      list.map((s) => [s.account.number, s.balance, s.oldestUnpaid?.period ?? null, s.latestBill?.period ?? null]),
    ).toEqual([
      ['1001', 0, null, null],
      ['2001', 300.75, '2026-09', '2026-10'],
    ]);
    expect(await accountsForPhone(repos, '+254799999999')).toEqual([]);
  });
});
