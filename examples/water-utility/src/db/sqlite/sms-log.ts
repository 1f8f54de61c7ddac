import type { SmsLogEntry } from '../../domain/model.js';
import type { SmsLogRepository } from '../../domain/ports.js';
import { isoNow, type SqliteContext } from './context.js';

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

export function sqliteSmsLog(ctx: SqliteContext): SmsLogRepository {
  const { db, exec } = ctx;
  const insert = db.prepare(
    `INSERT INTO sms_log (direction, outbox_key, provider_message_id, from_phone, to_phone, text, status,
       issue_reference, payment_reference, created_at, updated_at)
     VALUES (@direction, @outboxKey, @providerMessageId, @from, @to, @text, @status, @issueReference,
       @paymentReference, @at, @at)`,
  );
  const markSent = db.prepare(
    `UPDATE sms_log SET status = @status, provider_message_id = COALESCE(@providerMessageId, provider_message_id),
       failure_reason = COALESCE(@failureReason, failure_reason), updated_at = @at
     WHERE outbox_key = @key AND to_phone = @to AND direction = 'out'`,
  );
  const delivery = db.prepare(
    `UPDATE sms_log SET delivery_status = @status, failure_reason = COALESCE(@failureReason, failure_reason),
       updated_at = @at
     WHERE provider_message_id = @id AND direction = 'out'
       AND ${deliveryRank('delivery_status')} < 9 AND ${deliveryRank('delivery_status')} <= ${deliveryRank('@status')}`,
  );
  const known = db.prepare<[string], { id: number }>(
    "SELECT id FROM sms_log WHERE provider_message_id = ? AND direction = 'out' LIMIT 1",
  );
  const list = db.prepare<{ phone: string | null; direction: string | null; limit: number }, SmsLogRow>(
    `SELECT * FROM sms_log WHERE (@phone IS NULL OR to_phone = @phone OR from_phone = @phone)
       AND (@direction IS NULL OR direction = @direction)
     ORDER BY id DESC LIMIT @limit`,
  );

  return {
    record: (e) =>
      exec.run(() => {
        const at = e.at ?? isoNow(ctx);
        return Number(
          insert.run({
            direction: e.direction,
            outboxKey: e.outboxKey ?? null,
            providerMessageId: e.providerMessageId ?? null,
            from: e.from ?? null,
            to: e.to,
            text: e.text,
            status: e.status,
            issueReference: e.issueReference ?? null,
            paymentReference: e.paymentReference ?? null,
            at,
          }).lastInsertRowid,
        );
      }),
    markSent: (key, to, u) =>
      exec.run(() => {
        markSent.run({
          key,
          to,
          status: u.status,
          providerMessageId: u.providerMessageId ?? null,
          failureReason: u.failureReason ?? null,
          at: isoNow(ctx),
        });
      }),
    applyDeliveryReport: (r) =>
      exec.run(
        () =>
          delivery.run({
            id: r.providerMessageId,
            status: r.status,
            failureReason: r.failureReason ?? null,
            at: isoNow(ctx),
          }).changes > 0 || known.get(r.providerMessageId) !== undefined,
      ),
    list: (filter = {}) =>
      exec.run(() =>
        list
          .all({ phone: filter.phone ?? null, direction: filter.direction ?? null, limit: filter.limit ?? 50 })
          .map(toEntry),
      ),
  };
}

/**
 * Delivery reports arrive out of order; a status only moves forward (Sent, Submitted, Buffered, then a final one),
 * and a final status is never replaced.
 */
export function deliveryRank(column: string): string {
  return `(CASE ${column} WHEN 'Sent' THEN 1 WHEN 'Submitted' THEN 2 WHEN 'Buffered' THEN 3
    WHEN 'Success' THEN 9 WHEN 'Failed' THEN 9 WHEN 'Rejected' THEN 9 ELSE 0 END)`;
}
