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

describe('ingestReadings: registers only count up', () => {
  // Already stored: 100 m3 on 10 November.
  beforeEach(async () => {
    await repos.readings.insertMany([
      { meterId: 'MTR-1001', value: 100, at: '2026-11-10T00:00:00.000Z', source: 'sensor' },
    ]);
  });

  const lowerThan = (value: number, at: string) => `reading: lower than the reading before it (${value} m3 at ${at})`;

  interface OrderCase {
    /** SN-1001 readings in batch order: register in m3, time stamp. */
    batch: [reading: number, timeStamp: string][];
    inserted: number;
    duplicates: number;
    invalid: { index: number; message: string }[];
    /** MTR-1001 afterwards, oldest first. */
    stored: [at: string, value: number][];
  }

  it.each<[string, OrderCase]>([
    [
      'compares a reading with a stored one that lies between it and an older reading of the same batch',
      {
        batch: [
          [80, '2026-11-15T00:00:00Z'],
          [50, '2026-11-05T00:00:00Z'],
        ],
        inserted: 1,
        duplicates: 0,
        invalid: [{ index: 0, message: lowerThan(100, '2026-11-10T00:00:00.000Z') }],
        stored: [
          ['2026-11-05T00:00:00.000Z', 50],
          ['2026-11-10T00:00:00.000Z', 100],
        ],
      },
    ],
    [
      'a resent reading that differs from the stored one does not stand in for it',
      {
        batch: [
          [40, '2026-11-10T00:00:00Z'],
          [60, '2026-11-12T00:00:00Z'],
        ],
        inserted: 0,
        duplicates: 1,
        invalid: [{ index: 1, message: lowerThan(100, '2026-11-10T00:00:00.000Z') }],
        stored: [['2026-11-10T00:00:00.000Z', 100]],
      },
    ],
    [
      'checks each reading against the newest accepted one, stored or from the batch, whichever is later',
      {
        batch: [
          [120, '2026-11-12T00:00:00Z'],
          [110, '2026-11-13T00:00:00Z'],
          [90, '2026-11-08T00:00:00Z'],
          [120, '2026-11-14T00:00:00Z'],
          [95, '2026-11-09T00:00:00Z'],
        ],
        inserted: 4,
        duplicates: 0,
        invalid: [{ index: 1, message: lowerThan(120, '2026-11-12T00:00:00.000Z') }],
        stored: [
          ['2026-11-08T00:00:00.000Z', 90],
          ['2026-11-09T00:00:00.000Z', 95],
          ['2026-11-10T00:00:00.000Z', 100],
          ['2026-11-12T00:00:00.000Z', 120],
          ['2026-11-14T00:00:00.000Z', 120],
        ],
      },
    ],
    [
      'a lower reading right after an older one of the batch is refused before any stored one',
      {
        batch: [
          [70, '2026-11-02T00:00:00Z'],
          [60, '2026-11-03T00:00:00Z'],
        ],
        inserted: 1,
        duplicates: 0,
        invalid: [{ index: 1, message: lowerThan(70, '2026-11-02T00:00:00.000Z') }],
        stored: [
          ['2026-11-02T00:00:00.000Z', 70],
          ['2026-11-10T00:00:00.000Z', 100],
        ],
      },
    ],
    [
      'a resent stored reading at the end of the batch is a duplicate, not compared with the batch',
      {
        batch: [
          [50, '2026-11-05T00:00:00Z'],
          [40, '2026-11-10T00:00:00Z'],
        ],
        inserted: 1,
        duplicates: 1,
        invalid: [],
        stored: [
          ['2026-11-05T00:00:00.000Z', 50],
          ['2026-11-10T00:00:00.000Z', 100],
        ],
      },
    ],
    [
      'reports refused items in batch order, whichever check refused them',
      {
        batch: [
          [90, '2026-11-12T00:00:00Z'],
          [-1, '2026-11-13T00:00:00Z'],
          [80, '2026-11-14T00:00:00Z'],
        ],
        inserted: 0,
        duplicates: 0,
        invalid: [
          { index: 0, message: lowerThan(100, '2026-11-10T00:00:00.000Z') },
          { index: 1, message: 'reading: reading must not be negative' },
          { index: 2, message: lowerThan(100, '2026-11-10T00:00:00.000Z') },
        ],
        stored: [['2026-11-10T00:00:00.000Z', 100]],
      },
    ],
  ])('%s', async (_, { batch, inserted, duplicates, invalid, stored }) => {
    const r = await ingestion.ingestReadings(
      batch.map(([reading, timeStamp]) => ({ sensorId: 'SN-1001', reading, timeStamp })),
    );
    expect(r).toEqual({ ok: true, received: batch.length, inserted, duplicates, unknownSensors: [], invalid });
    const after = await repos.readings.range('MTR-1001', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expect(after.map((row) => [row.at, row.value])).toEqual(stored);
  });
});
