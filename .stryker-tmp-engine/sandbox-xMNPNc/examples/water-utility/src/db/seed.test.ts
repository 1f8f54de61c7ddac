// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { createConsumptionService } from '../domain/consumption.js';
import { DEMO_CUSTOMERS, seedDemoData } from './seed.js';
import { memoryRepos, outboxRows, TEST_BRAND, testClock } from './test-support.js';

describe('demo seed', () => {
  it('holds the customers the demo and the README promise', async () => {
    const clock = testClock('2026-11-27T18:00:00.000Z');
    const repos = memoryRepos(clock);
    const first = await seedDemoData(repos, { now: clock.now });
    expect(first.billsCreated).toBeGreaterThan(0);

    expect((await repos.accounts.forPhone('+254711000111')).map((a) => a.number)).toEqual(['1001', '1002']);
    expect((await repos.accounts.forPhone('+254722000222')).map((a) => a.number)).toEqual(['2001']);
    for (const account of ['1001', '1002', '2001']) {
      const unpaid = await repos.bills.unpaidForAccount(account);
      expect(unpaid, account).toHaveLength(1);
      expect(unpaid[0]).toMatchObject({ period: '2026-10', status: 'open' });
      expect(unpaid[0]?.balance).toBeGreaterThan(200);
      const readings = await repos.readings.range(`MTR-${account}`, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
      expect(readings.length, account).toBeGreaterThanOrEqual(120);
    }
    // One account reachable from two phones, and a Swahili speaker.
    expect(await repos.accounts.phones('3001')).toEqual(['+254733000333', '+254733000444']);
    expect(await repos.preferences.getLanguage('+254733000333')).toBe('sw');
    expect((await repos.customers.findByPhone('+254711000111'))?.name).toBe('Wanjiku Kamau');
    expect(await repos.bills.unpaidForAccount('4001')).toEqual([]);
    expect((await repos.bills.unpaidForAccount('3001'))[0]?.status).toBe('partially_paid');
    for (const c of DEMO_CUSTOMERS) {
      expect((await repos.accounts.forPhone(c.phone)).map((a) => a.number)).toEqual(c.accounts);
    }
    // History only: nobody gets texted about it.
    expect(outboxRows(repos)).toEqual([]);
    expect(await repos.issues.list()).toHaveLength(3);

    const consumption = await createConsumptionService({ repos, brand: TEST_BRAND, now: clock.now }).getConsumption(
      '1001',
    );
    expect(consumption?.used).toBeGreaterThan(5);
    expect(consumption?.previousUse).toBeGreaterThan(5);
  });

  it('is idempotent, and a later run only adds the new days', async () => {
    const clock = testClock('2026-11-27T18:00:00.000Z');
    const repos = memoryRepos(clock);
    await seedDemoData(repos, { now: clock.now });
    const count = (table: string) => repos.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    const before = Object.fromEntries(
      ['customers', 'accounts', 'bills', 'payments', 'issues', 'meter_readings'].map((t) => [t, count(t)]),
    );
    expect(await seedDemoData(repos, { now: clock.now })).toEqual({
      readingsInserted: 0,
      billsCreated: 0,
      paymentsCreated: 0,
      issuesCreated: 0,
    });
    expect(Object.fromEntries(Object.keys(before).map((t) => [t, count(t)]))).toEqual(before);

    const last = await repos.readings.latest('MTR-1001');
    clock.advance(2 * 86_400_000);
    const later = await seedDemoData(repos, { now: clock.now });
    expect(later.readingsInserted).toBe(2 * 6);
    // The register carries on from where it was.
    const next = await repos.readings.range('MTR-1001', last?.at ?? '', '2027-01-01T00:00:00Z');
    expect(next.map((r) => r.value)).toEqual([...next.map((r) => r.value)].sort((a, b) => a - b));
  });
});
