import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, testClock } from '../db/test-support.js';
import { accountUsage, meterUsage } from './usage.js';

let repos: SqliteRepositories;

const read = (meterId: string, value: number, at: string) =>
  repos.readings.insertMany([{ meterId, value, at, source: 'sensor' }]);

const FROM = '2026-10-31T21:00:00.000Z';
const TO = '2026-11-30T21:00:00.000Z';

beforeEach(async () => {
  repos = memoryRepos(testClock('2026-12-05T00:00:00.000Z'));
  await addAccount(repos, '1001');
  await repos.meters.upsert({ id: 'MTR-1001-B', account: '1001', sensorId: 'SN-1001-B' });
});

describe('meterUsage', () => {
  it('is null for a meter without readings, or with readings only after the window', async () => {
    expect(await meterUsage(repos, 'MTR-1001', FROM, TO)).toBeNull();
    await read('MTR-1001', 10, '2026-11-30T21:00:00.001Z');
    expect(await meterUsage(repos, 'MTR-1001', FROM, TO)).toBeNull();
  });

  it('opens on a reading exactly at the start and closes on one exactly at the end', async () => {
    await read('MTR-1001', 5, '2026-10-20T00:00:00.000Z');
    await read('MTR-1001', 10, FROM);
    await read('MTR-1001', 12.5, TO);
    await read('MTR-1001', 20, '2026-12-01T00:00:00.000Z');
    expect(await meterUsage(repos, 'MTR-1001', FROM, TO)).toMatchObject({
      opening: { value: 10, at: FROM },
      closing: { value: 12.5, at: TO },
      used: 2.5,
    });
  });

  it('opens a newer meter on its first reading inside the window', async () => {
    await read('MTR-1001', 3, '2026-11-10T00:00:00.000Z');
    await read('MTR-1001', 4.2, '2026-11-20T00:00:00.000Z');
    expect(await meterUsage(repos, 'MTR-1001', FROM, TO)).toMatchObject({
      opening: { value: 3 },
      closing: { value: 4.2 },
      used: 1.2,
    });
  });

  it('counts a register that went backwards as no use', async () => {
    await read('MTR-1001', 100, FROM);
    await read('MTR-1001', 2, '2026-11-15T00:00:00.000Z');
    expect((await meterUsage(repos, 'MTR-1001', FROM, TO))?.used).toBe(0);
  });

  it('is null for a window that ends before it starts', async () => {
    await read('MTR-1001', 1, '2026-11-01T00:00:00.000Z');
    await read('MTR-1001', 2, '2026-11-20T00:00:00.000Z');
    expect(await meterUsage(repos, 'MTR-1001', '2026-11-25T00:00:00.000Z', '2026-11-10T00:00:00.000Z')).toBeNull();
  });
});

describe('accountUsage', () => {
  it('is null when no meter of the account has a reading', async () => {
    expect(await accountUsage(repos, '1001', FROM, TO)).toBeNull();
    expect(await accountUsage(repos, '9999', FROM, TO)).toBeNull();
  });

  it('sums the meters in litres and closes on the latest reading of any of them', async () => {
    await read('MTR-1001', 0.1, FROM);
    await read('MTR-1001', 0.3, '2026-11-20T00:00:00.000Z');
    await read('MTR-1001-B', 0.2, FROM);
    await read('MTR-1001-B', 0.4, '2026-11-10T00:00:00.000Z');
    expect(await accountUsage(repos, '1001', FROM, TO)).toEqual({
      used: 0.4,
      opening: 0.3,
      closing: 0.7,
      lastAt: '2026-11-20T00:00:00.000Z',
    });
  });

  it('leaves out a meter without readings', async () => {
    await read('MTR-1001-B', 7, FROM);
    await read('MTR-1001-B', 9, '2026-11-10T00:00:00.000Z');
    expect(await accountUsage(repos, '1001', FROM, TO)).toEqual({
      used: 2,
      opening: 7,
      closing: 9,
      lastAt: '2026-11-10T00:00:00.000Z',
    });
  });
});
