// @ts-nocheck
import type { InboundRepository } from '../../domain/ports.js';
import { isoNow, type PgContext } from './context.js';

export function postgresInbound(ctx: PgContext): InboundRepository {
  return {
    markProcessed: async (kind, id) =>
      (await ctx.run(
        'INSERT INTO processed_inbound (kind, id, processed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [kind, id, isoNow(ctx)],
      )) === 1,
    isProcessed: async (kind, id) =>
      (await ctx.one('SELECT 1 FROM processed_inbound WHERE kind = $1 AND id = $2', [kind, id])) !== undefined,
  };
}
