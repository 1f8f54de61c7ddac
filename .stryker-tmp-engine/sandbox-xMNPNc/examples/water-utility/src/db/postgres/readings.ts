// @ts-nocheck
import type { MeterReading, ReadingSource } from '../../domain/model.js';
import type { ReadingRepository } from '../../domain/ports.js';
import { fromLitres, toLitres } from '../../domain/units.js';
import { isoNow, num, type PgContext } from './context.js';

interface ReadingRow {
  meter_id: string;
  read_at: string;
  litres: string;
  source: ReadingSource;
}

const toReading = (r: ReadingRow): MeterReading => ({
  meterId: r.meter_id,
  value: fromLitres(num(r.litres)),
  at: r.read_at,
  source: r.source,
});

/** Timestamps are compared as text, so every one is written in the same `toISOString` shape. */
const normalize = (at: string) => new Date(at).toISOString();

export function postgresReadings(ctx: PgContext): ReadingRepository {
  const one = async (sql: string, values: unknown[]) => {
    const row = await ctx.one<ReadingRow>(sql, values);
    return row ? toReading(row) : null;
  };
  return {
    // One statement for the batch: it lands whole or not at all.
    insertMany: async (readings) => {
      if (readings.length === 0) return { inserted: 0, duplicates: 0 };
      const inserted = await ctx.run(
        `INSERT INTO meter_readings (meter_id, read_at, litres, source, received_at)
         SELECT m, a, l, s, $5 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS r(m, a, l, s)
         ON CONFLICT (meter_id, read_at) DO NOTHING`,
        [
          readings.map((r) => r.meterId),
          readings.map((r) => normalize(r.at)),
          readings.map((r) => toLitres(r.value)),
          readings.map((r) => r.source),
          isoNow(ctx),
        ],
      );
      return { inserted, duplicates: readings.length - inserted };
    },
    latest: (meterId) =>
      one('SELECT * FROM meter_readings WHERE meter_id = $1 ORDER BY read_at DESC LIMIT 1', [meterId]),
    latestAtOrBefore: (meterId, at) =>
      one('SELECT * FROM meter_readings WHERE meter_id = $1 AND read_at <= $2 ORDER BY read_at DESC LIMIT 1', [
        meterId,
        normalize(at),
      ]),
    earliestInRange: (meterId, from, to) =>
      one(
        'SELECT * FROM meter_readings WHERE meter_id = $1 AND read_at >= $2 AND read_at < $3 ORDER BY read_at LIMIT 1',
        [meterId, normalize(from), normalize(to)],
      ),
    range: async (meterId, from, to) =>
      (
        await ctx.rows<ReadingRow>(
          'SELECT * FROM meter_readings WHERE meter_id = $1 AND read_at >= $2 AND read_at < $3 ORDER BY read_at',
          [meterId, normalize(from), normalize(to)],
        )
      ).map(toReading),
  };
}
