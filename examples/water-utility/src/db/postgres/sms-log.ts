import type { SmsRecipientResult } from '@rolax/ussd-core/outbox';
import type { SmsLogEntry } from '../../domain/model.js';
import type { SmsLogRepository } from '../../domain/ports.js';
import { deliveryRank } from '../sqlite/sms-log.js';
import { isoNow, type PgContext } from './context.js';

interface SmsLogRow {
  id: number;
  direction: 'in' | 'out';
  outbox_key: string | null;
  provider_message_id: string | null;
  from_phone: string | null;
  to_phone: string;
  text: string;
  status: string;
  delivery_status: string | null;
  failure_reason: string | null;
  issue_reference: string | null;
  payment_reference: string | null;
  created_at: string;
  updated_at: string;
}

const toEntry = (r: SmsLogRow): SmsLogEntry => ({
  id: r.id,
  direction: r.direction,
  outboxKey: r.outbox_key,
  providerMessageId: r.provider_message_id,
  from: r.from_phone,
  to: r.to_phone,
  text: r.text,
  status: r.status,
  deliveryStatus: r.delivery_status,
  failureReason: r.failure_reason,
  issueReference: r.issue_reference,
  paymentReference: r.payment_reference,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function postgresSmsLog(ctx: PgContext): SmsLogRepository & {
  /** The outbox's final answers per recipient, written beside the outbox row. */
  logResults(key: string, results: readonly SmsRecipientResult[]): Promise<void>;
  logRestFailed(key: string, reason: string): Promise<void>;
} {
  const markSent = (key: string, to: string, status: string, messageId: string | null, reason: string | null) =>
    ctx.run(
      `UPDATE sms_log SET status = $3, provider_message_id = COALESCE($4, provider_message_id),
         failure_reason = COALESCE($5, failure_reason), updated_at = $6
       WHERE outbox_key = $1 AND to_phone = $2 AND direction = 'out'`,
      [key, to, status, messageId, reason, isoNow(ctx)],
    );
  return {
    record: async (e) => {
      const at = e.at ?? isoNow(ctx);
      const row = await ctx.one<{ id: number }>(
        `INSERT INTO sms_log (direction, outbox_key, provider_message_id, from_phone, to_phone, text, status,
           issue_reference, payment_reference, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
        [
          e.direction,
          e.outboxKey ?? null,
          e.providerMessageId ?? null,
          e.from ?? null,
          e.to,
          e.text,
          e.status,
          e.issueReference ?? null,
          e.paymentReference ?? null,
          at,
        ],
      );
      return row!.id;
    },
    markSent: async (key, to, u) => {
      await markSent(key, to, u.status, u.providerMessageId ?? null, u.failureReason ?? null);
    },
    // Reports arrive out of order: a status only moves forward, and a final one is never replaced.
    applyDeliveryReport: async (r) =>
      (await ctx.run(
        `UPDATE sms_log SET delivery_status = $2, failure_reason = COALESCE($3, failure_reason), updated_at = $4
         WHERE provider_message_id = $1 AND direction = 'out'
           AND ${deliveryRank('delivery_status')} < 9 AND ${deliveryRank('delivery_status')} <= ${deliveryRank('$2::text')}`,
        [r.providerMessageId, r.status, r.failureReason ?? null, isoNow(ctx)],
      )) > 0 ||
      (await ctx.one(`SELECT 1 FROM sms_log WHERE provider_message_id = $1 AND direction = 'out' LIMIT 1`, [
        r.providerMessageId,
      ])) !== undefined,
    list: async (filter = {}) =>
      (
        await ctx.rows<SmsLogRow>(
          `SELECT * FROM sms_log WHERE ($1::text IS NULL OR to_phone = $1 OR from_phone = $1)
             AND ($2::text IS NULL OR direction = $2)
           ORDER BY id DESC LIMIT $3`,
          [filter.phone ?? null, filter.direction ?? null, filter.limit ?? 50],
        )
      ).map(toEntry),
    async logResults(key, results) {
      for (const r of results) {
        if (r.status === 'retryable') continue;
        await markSent(
          key,
          r.to,
          r.status === 'accepted' ? 'sent' : 'failed',
          r.messageId ?? null,
          r.status === 'failed' ? (r.reason ?? null) : null,
        );
      }
    },
    async logRestFailed(key, reason) {
      await ctx.run(
        `UPDATE sms_log SET status = 'failed', failure_reason = COALESCE(failure_reason, $2), updated_at = $3
         WHERE outbox_key = $1 AND direction = 'out' AND status = 'queued'`,
        [key, reason, isoNow(ctx)],
      );
    },
  };
}
