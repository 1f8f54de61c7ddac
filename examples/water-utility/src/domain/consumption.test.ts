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

/** Account 1001 with a second meter, MTR-1001-B, and the given readings. */
async function setup(now: string, readings: [meterId: string, value: number, at: string][]) {
  const clock = testClock(now);
  const repos = memoryRepos(clock);
  await addAccount(repos, '1001');
  await repos.meters.upsert({ id: 'MTR-1001-B', account: '1001', sensorId: 'SN-1001-B' });
  await repos.readings.insertMany(readings.map(([meterId, value, at]) => ({ meterId, value, at, source: 'sensor' })));
  return { repos, service: createConsumptionService({ repos, brand: TEST_BRAND, now: clock.now }) };
}

describe('consumption across a year end, over short spans, and with few or no readings', () => {
  it('in January, the previous period is December of the year before', async () => {
    const { service } = await setup('2027-01-10T09:00:00.000Z', [
      ['MTR-1001', 10, '2026-11-30T21:00:00.000Z'],
      ['MTR-1001', 14, '2026-12-31T21:00:00.000Z'],
      ['MTR-1001', 17, '2027-01-03T21:00:00.000Z'],
    ]);
    expect(await service.getConsumption('1001')).toEqual({
      account: '1001',
      period: '2027-01',
      periodStart: '2027-01-01',
      used: 3,
      lastReading: { value: 17, at: '2027-01-03T21:00:00.000Z', date: '2027-01-04' },
      previousPeriod: '2026-12',
      previousUse: 4,
      // 3 m3 over exactly three days.
      dailyAverage: 1,
      balance: 0,
    });
  });

  it('averages over at least one day, and rounds to litres', async () => {
    const short = await setup('2026-11-01T05:00:00.000Z', [
      ['MTR-1001', 100, '2026-10-31T21:00:00.000Z'],
      ['MTR-1001', 100.5, '2026-10-31T23:00:00.000Z'],
    ]);
    expect(await short.service.getConsumption('1001')).toMatchObject({
      used: 0.5,
      dailyAverage: 0.5,
      previousUse: null,
    });
    const thirds = await setup('2026-11-05T00:00:00.000Z', [
      ['MTR-1001', 100, '2026-10-31T21:00:00.000Z'],
      ['MTR-1001', 101, '2026-11-03T21:00:00.000Z'],
    ]);
    expect((await thirds.service.getConsumption('1001'))?.dailyAverage).toBe(0.333);
  });

  it('a single reading at the start of the period gives no average', async () => {
    const { service } = await setup('2026-11-02T00:00:00.000Z', [['MTR-1001', 100, '2026-10-31T21:00:00.000Z']]);
    expect(await service.getConsumption('1001')).toMatchObject({
      used: 0,
      dailyAverage: 0,
      lastReading: { value: 100, date: '2026-11-01' },
    });
  });

  it('without a reading this period, shows the sum of the meters latest registers and the latest date', async () => {
    const { service } = await setup('2026-11-03T00:00:00.000Z', [
      ['MTR-1001', 10.1, '2026-10-20T00:00:00.000Z'],
      ['MTR-1001', 10.2, '2026-10-25T00:00:00.000Z'],
      ['MTR-1001-B', 5.1, '2026-10-28T12:00:00.000Z'],
    ]);
    expect(await service.getConsumption('1001')).toMatchObject({
      used: 0,
      dailyAverage: 0,
      lastReading: { value: 15.3, at: '2026-10-28T12:00:00.000Z', date: '2026-10-28' },
    });
  });

  it('no readings at all: no last reading, and a statement without it', async () => {
    const { service } = await setup('2026-11-03T00:00:00.000Z', []);
    expect(await service.getConsumption('1001')).toMatchObject({ used: 0, lastReading: null, previousUse: null });
    expect(await service.statementText('1001', 'en')).toBe(
      'rolax Water a/c 1001: Nov use 0 m3 (avg 0 m3/day). Balance KES 0.',
    );
    expect(await service.statementText('9999', 'en')).toBeNull();
  });
});
