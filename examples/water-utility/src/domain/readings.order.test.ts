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
  await repos.readings.insertMany([
    { meterId: 'MTR-1001', value: 100, at: '2026-11-10T00:00:00.000Z', source: 'sensor' },
  ]);
});

const stored = async () =>
  (await repos.readings.range('MTR-1001', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z')).map((r) => [r.at, r.value]);

describe('ingestReadings: registers only count up', () => {
  it('compares a reading with a stored one that lies between it and an older reading of the same batch', async () => {
    const r = await ingestion.ingestReadings([
      { sensorId: 'SN-1001', reading: 80, timeStamp: '2026-11-15T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 50, timeStamp: '2026-11-05T00:00:00Z' },
    ]);
    expect(r).toEqual({
      ok: true,
      received: 2,
      inserted: 1,
      duplicates: 0,
      unknownSensors: [],
      invalid: [
        { index: 0, message: 'reading: lower than the reading before it (100 m3 at 2026-11-10T00:00:00.000Z)' },
      ],
    });
    expect(await stored()).toEqual([
      ['2026-11-05T00:00:00.000Z', 50],
      ['2026-11-10T00:00:00.000Z', 100],
    ]);
  });

  it('a resent reading that differs from the stored one does not stand in for it', async () => {
    const r = await ingestion.ingestReadings([
      { sensorId: 'SN-1001', reading: 40, timeStamp: '2026-11-10T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 60, timeStamp: '2026-11-12T00:00:00Z' },
    ]);
    expect(r).toMatchObject({
      ok: true,
      inserted: 0,
      duplicates: 1,
      invalid: [
        { index: 1, message: 'reading: lower than the reading before it (100 m3 at 2026-11-10T00:00:00.000Z)' },
      ],
    });
    expect(await stored()).toEqual([['2026-11-10T00:00:00.000Z', 100]]);
  });

  it('checks each reading against the newest accepted one, stored or from the batch, whichever is later', async () => {
    const r = await ingestion.ingestReadings([
      { sensorId: 'SN-1001', reading: 120, timeStamp: '2026-11-12T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 110, timeStamp: '2026-11-13T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 90, timeStamp: '2026-11-08T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 120, timeStamp: '2026-11-14T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 95, timeStamp: '2026-11-09T00:00:00Z' },
    ]);
    expect(r).toMatchObject({
      ok: true,
      received: 5,
      inserted: 4,
      duplicates: 0,
      invalid: [
        { index: 1, message: 'reading: lower than the reading before it (120 m3 at 2026-11-12T00:00:00.000Z)' },
      ],
    });
    expect(await stored()).toEqual([
      ['2026-11-08T00:00:00.000Z', 90],
      ['2026-11-09T00:00:00.000Z', 95],
      ['2026-11-10T00:00:00.000Z', 100],
      ['2026-11-12T00:00:00.000Z', 120],
      ['2026-11-14T00:00:00.000Z', 120],
    ]);
  });

  it('a lower reading right after an older one of the batch is refused before any stored one', async () => {
    const r = await ingestion.ingestReadings([
      { sensorId: 'SN-1001', reading: 70, timeStamp: '2026-11-02T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 60, timeStamp: '2026-11-03T00:00:00Z' },
    ]);
    expect(r).toMatchObject({
      inserted: 1,
      invalid: [{ index: 1, message: 'reading: lower than the reading before it (70 m3 at 2026-11-02T00:00:00.000Z)' }],
    });
  });

  it('a resent stored reading at the end of the batch is a duplicate, not compared with the batch', async () => {
    const r = await ingestion.ingestReadings([
      { sensorId: 'SN-1001', reading: 50, timeStamp: '2026-11-05T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 40, timeStamp: '2026-11-10T00:00:00Z' },
    ]);
    expect(r).toEqual({ ok: true, received: 2, inserted: 1, duplicates: 1, unknownSensors: [], invalid: [] });
  });

  it('reports refused items in batch order, whichever check refused them', async () => {
    const r = await ingestion.ingestReadings([
      { sensorId: 'SN-1001', reading: 90, timeStamp: '2026-11-12T00:00:00Z' },
      { sensorId: 'SN-1001', reading: -1, timeStamp: '2026-11-13T00:00:00Z' },
      { sensorId: 'SN-1001', reading: 80, timeStamp: '2026-11-14T00:00:00Z' },
    ]);
    expect(r.ok && r.invalid.map((i) => i.index)).toEqual([0, 1, 2]);
  });
});
