// @ts-nocheck
import { beforeEach, describe, expect, it } from 'vitest';
import type { SqliteRepositories } from '../db/sqlite/index.js';
import { addAccount, memoryRepos, testClock } from '../db/test-support.js';
import { createReadingIngestion, type ReadingIngestion } from './readings.js';

let repos: SqliteRepositories;
let ingestion: ReadingIngestion;

beforeEach(async () => {
  const clock = testClock('2026-11-20T10:00:00.000Z');
  repos = memoryRepos(clock);
  ingestion = createReadingIngestion({ repos, now: clock.now });
  await addAccount(repos, '1001');
  await addAccount(repos, '1002');
});

const batch = [
  { sensorId: 'SN-1001', reading: 100.5, timeStamp: '2026-11-01T06:00:00+03:00' },
  { sensorId: 'SN-1001', reading: 100.5, timeStamp: '2026-11-01T03:00:00.000Z' }, // same instant
  { sensorId: 'SN-9', reading: 12, timeStamp: '2026-11-01T06:00:00+03:00' },
  { sensorId: 'SN-1002', reading: '20.25', timeStamp: 1_793_500_000 }, // epoch seconds, string reading
  { sensorId: 'SN-1001', reading: -1, timeStamp: '2026-11-02T06:00:00+03:00' },
  { sensorId: 'SN-1001', reading: 101, timeStamp: 'yesterday' },
  { sensorId: 'SN-1001', reading: 101, timeStamp: '2026-12-25T00:00:00Z' },
  { reading: 5 },
];

describe('ingestReadings', () => {
  it('stores the good readings and reports the rest per item', async () => {
    const r = await ingestion.ingestReadings(batch);
    expect(r).toMatchObject({
      ok: true,
      received: 8,
      inserted: 2,
      duplicates: 1,
      unknownSensors: [{ index: 2, sensorId: 'SN-9' }],
    });
    expect(r.ok && r.invalid.map((i) => i.index)).toEqual([4, 5, 6, 7]);
    expect(r.ok && r.invalid[2]?.message).toMatch(/future/);
    expect(await repos.readings.latest('MTR-1002')).toMatchObject({
      value: 20.25,
      at: new Date(1_793_500_000_000).toISOString(),
    });
  });

  it('stores nothing twice when a batch is sent again', async () => {
    await ingestion.ingestReadings({ readings: batch });
    const again = await ingestion.ingestReadings({ readings: batch });
    expect(again).toMatchObject({ ok: true, inserted: 0, duplicates: 3 });
    expect(await repos.readings.range('MTR-1001', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).toHaveLength(1);
  });

  it('refuses a body that is not a batch', async () => {
    expect(await ingestion.ingestReadings({ sensorId: 'SN-1001' })).toMatchObject({ ok: false });
    expect(await ingestion.ingestReadings('nope')).toMatchObject({ ok: false });
    expect(await ingestion.ingestReadings([])).toMatchObject({ ok: true, received: 0, inserted: 0 });
  });
});
