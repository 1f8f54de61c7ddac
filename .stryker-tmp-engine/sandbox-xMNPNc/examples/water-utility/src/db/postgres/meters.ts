// @ts-nocheck
import type { Meter } from '../../domain/model.js';
import type { MeterRepository } from '../../domain/ports.js';
import { isoNow, type PgContext } from './context.js';

interface MeterRow {
  id: string;
  account_number: string;
  sensor_id: string;
  status: Meter['status'];
  created_at: string;
}

const toMeter = (r: MeterRow): Meter => ({
  id: r.id,
  account: r.account_number,
  sensorId: r.sensor_id,
  status: r.status,
  createdAt: r.created_at,
});

export function postgresMeters(ctx: PgContext): MeterRepository {
  return {
    upsert: async (input) =>
      toMeter(
        (await ctx.one<MeterRow>(
          `INSERT INTO meters (id, account_number, sensor_id, status, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET account_number = excluded.account_number, sensor_id = excluded.sensor_id,
             status = excluded.status
           RETURNING *`,
          [input.id, input.account, input.sensorId, input.status ?? 'active', isoNow(ctx)],
        )) as MeterRow,
      ),
    // In the order the ids were first asked for, as the SQLite store answers.
    findBySensorIds: async (sensorIds) => {
      const ids = [...new Set(sensorIds)];
      if (ids.length === 0) return [];
      const rows = await ctx.rows<MeterRow>(
        'SELECT * FROM meters WHERE sensor_id = ANY($1::text[]) ORDER BY array_position($1::text[], sensor_id)',
        [ids],
      );
      return rows.map(toMeter);
    },
    forAccount: async (account) =>
      (
        await ctx.rows<MeterRow>(`SELECT * FROM meters WHERE account_number = $1 AND status = 'active' ORDER BY id`, [
          account,
        ])
      ).map(toMeter),
  };
}
