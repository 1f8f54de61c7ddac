// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { addAccount, memoryRepos, TEST_BRAND, testClock } from '../db/test-support.js';
import { createConsumptionService } from './consumption.js';

describe('consumption', () => {
  it('reports this period, the last reading, the previous period and the daily average', async () => {
    const clock = testClock('2026-11-20T10:00:00.000Z');
    const repos = memoryRepos(clock);
    await addAccount(repos, '1001');
    await repos.bills.create({
      account: '1001',
      period: '2026-10',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      openingReading: 100,
      closingReading: 110,
      consumption: 10,
      amount: 932,
      creditApplied: 0,
      dueDate: '2026-11-14',
    });
    await repos.readings.insertMany([
      { meterId: 'MTR-1001', value: 100, at: '2026-09-30T21:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-1001', value: 110, at: '2026-10-31T21:00:00.000Z', source: 'sensor' },
      { meterId: 'MTR-1001', value: 117.3, at: '2026-11-19T03:00:00.000Z', source: 'sensor' },
    ]);
    const service = createConsumptionService({ repos, brand: TEST_BRAND, now: clock.now });
    const c = await service.getConsumption('1001');
    expect(c).toMatchObject({
      account: '1001',
      period: '2026-11',
      periodStart: '2026-11-01',
      used: 7.3,
      lastReading: { value: 117.3, at: '2026-11-19T03:00:00.000Z', date: '2026-11-19' },
      previousPeriod: '2026-10',
      previousUse: 10,
      balance: 932,
    });
    // 7.3 m3 over the 18.25 days from 1 November 00:00 to the reading.
    expect(c?.dailyAverage).toBe(0.4);
    const en = await service.statementText('1001', 'en');
    expect(en).toBe(
      'rolax Water a/c 1001: Nov use 7.3 m3 to 19 Nov (avg 0.4 m3/day). Oct: 10 m3. Meter 117.3 m3. Balance KES 932.',
    );
    const sw = await service.statementText('1001', 'sw');
    expect(sw).toContain('wastani 0.4 m3/siku');
    expect(await service.getConsumption('9999')).toBeNull();
  });

  it('shows zero use and the last register when this period has no reading yet', async () => {
    const clock = testClock('2026-11-01T05:00:00.000Z');
    const repos = memoryRepos(clock);
    await addAccount(repos, '1001');
    await repos.readings.insertMany([
      { meterId: 'MTR-1001', value: 50, at: '2026-10-30T03:00:00.000Z', source: 'sensor' },
    ]);
    const c = await createConsumptionService({ repos, brand: TEST_BRAND, now: clock.now }).getConsumption('1001');
    expect(c).toMatchObject({ used: 0, dailyAverage: 0, lastReading: { value: 50, date: '2026-10-30' } });
  });
});
