// @ts-nocheck
import type { InboundRepository } from '../../domain/ports.js';
import { isoNow, type SqliteContext } from './context.js';

export function sqliteInbound(ctx: SqliteContext): InboundRepository {
  const { db, exec } = ctx;
  const mark = db.prepare<[string, string, string]>(
    'INSERT INTO processed_inbound (kind, id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const has = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM processed_inbound WHERE kind = ? AND id = ?',
  );
  return {
    markProcessed: (kind, id) => exec.run(() => mark.run(kind, id, isoNow(ctx)).changes === 1),
    isProcessed: (kind, id) => exec.run(() => has.get(kind, id) !== undefined),
  };
}
