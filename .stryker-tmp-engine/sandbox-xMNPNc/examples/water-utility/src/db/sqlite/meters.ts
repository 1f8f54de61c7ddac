// @ts-nocheck
import type { Meter } from '../../domain/model.js';
import type { MeterRepository } from '../../domain/ports.js';
import { isoNow, type SqliteContext } from './context.js';

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

export function sqliteMeters(ctx: SqliteContext): MeterRepository {
  const { db, exec } = ctx;
  const upsert = db.prepare<[string, string, string, string, string], MeterRow>(
    `INSERT INTO meters (id, account_number, sensor_id, status, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_number = excluded.account_number, sensor_id = excluded.sensor_id,
       status = excluded.status
     RETURNING *`,
  );
  const bySensor = db.prepare<[string], MeterRow>('SELECT * FROM meters WHERE sensor_id = ?');
  const forAccount = db.prepare<[string], MeterRow>(
    `SELECT * FROM meters WHERE account_number = ? AND status = 'active' ORDER BY id`,
  );

  return {
    upsert: (input) =>
      exec.run(() =>
        toMeter(upsert.get(input.id, input.account, input.sensorId, input.status ?? 'active', isoNow(ctx)) as MeterRow),
      ),
    findBySensorIds: (sensorIds) =>
      exec.run(() => {
        const found: Meter[] = [];
        for (const id of new Set(sensorIds)) {
          const row = bySensor.get(id);
          if (row) found.push(toMeter(row));
        }
        return found;
      }),
    forAccount: (account) => exec.run(() => forAccount.all(account).map(toMeter)),
  };
}
