// @ts-nocheck
import type { MeterReading, ReadingSource } from '../../domain/model.js';
import type { ReadingRepository } from '../../domain/ports.js';
import { fromLitres, toLitres } from '../../domain/units.js';
import { isoNow, type SqliteContext } from './context.js';

interface ReadingRow {
  meter_id: string;
  read_at: string;
  litres: number;
  source: ReadingSource;
}

const toReading = (r: ReadingRow): MeterReading => ({
  meterId: r.meter_id,
  value: fromLitres(r.litres),
  at: r.read_at,
  source: r.source,
});

/** Timestamps are compared as text, so every one is written in the same `toISOString` shape. */
const normalize = (at: string) => new Date(at).toISOString();

export function sqliteReadings(ctx: SqliteContext): ReadingRepository {
  const { db, exec } = ctx;
  const insert = db.prepare<[string, string, number, string, string]>(
    `INSERT INTO meter_readings (meter_id, read_at, litres, source, received_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (meter_id, read_at) DO NOTHING`,
  );
  const latest = db.prepare<[string], ReadingRow>(
    'SELECT * FROM meter_readings WHERE meter_id = ? ORDER BY read_at DESC LIMIT 1',
  );
  const atOrBefore = db.prepare<[string, string], ReadingRow>(
    'SELECT * FROM meter_readings WHERE meter_id = ? AND read_at <= ? ORDER BY read_at DESC LIMIT 1',
  );
  const earliestIn = db.prepare<[string, string, string], ReadingRow>(
    'SELECT * FROM meter_readings WHERE meter_id = ? AND read_at >= ? AND read_at < ? ORDER BY read_at LIMIT 1',
  );
  const range = db.prepare<[string, string, string], ReadingRow>(
    'SELECT * FROM meter_readings WHERE meter_id = ? AND read_at >= ? AND read_at < ? ORDER BY read_at',
  );
  const insertAll = db.transaction((readings: readonly MeterReading[], receivedAt: string) => {
    let inserted = 0;
    for (const r of readings) {
      inserted += insert.run(r.meterId, normalize(r.at), toLitres(r.value), r.source, receivedAt).changes;
    }
    return { inserted, duplicates: readings.length - inserted };
  });

  const one = (row: ReadingRow | undefined) => (row ? toReading(row) : null);

  return {
    insertMany: (readings) => exec.run(() => insertAll(readings, isoNow(ctx))),
    latest: (meterId) => exec.run(() => one(latest.get(meterId))),
    latestAtOrBefore: (meterId, at) => exec.run(() => one(atOrBefore.get(meterId, normalize(at)))),
    earliestInRange: (meterId, from, to) =>
      exec.run(() => one(earliestIn.get(meterId, normalize(from), normalize(to)))),
    range: (meterId, from, to) => exec.run(() => range.all(meterId, normalize(from), normalize(to)).map(toReading)),
  };
}
