import { UssdError } from '@rolax/ussd-core';
import type {
  OutboxItem,
  OutboxProgress,
  OutboxStatus,
  OutboxStore,
  SmsRecipientResult,
  SmsResult,
} from '@rolax/ussd-core/outbox';
import { isoNow, type SqliteContext } from './context.js';

interface OutboxRow {
  key: string;
  recipients: string;
  text: string;
  sender: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: string | null;
  result: string | null;
  progress: string | null;
}

const toItem = (r: OutboxRow): OutboxItem => ({
  key: r.key,
  message: {
    to: JSON.parse(r.recipients) as string[],
    text: r.text,
    ...(r.sender === null ? {} : { from: r.sender }),
  },
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  ...(r.last_error === null ? {} : { lastError: r.last_error }),
  ...(r.result === null ? {} : { result: JSON.parse(r.result) as SmsResult }),
  ...(r.progress === null ? {} : { progress: JSON.parse(r.progress) as OutboxProgress }),
});

/**
 * The OutboxStore port on the service's SQLite database, so queuing a message joins the caller's transaction.
 * A claim sets `leased_until`; the item's own `nextAttemptAt` stays what the sender scheduled. Each outcome is
 * also written to the SMS log rows queued under the same key, so delivery reports can be matched by message id.
 */
export function sqliteOutbox(ctx: SqliteContext): OutboxStore {
  const { db, exec } = ctx;
  const insert = db.prepare<[string, string, string, string | null, number, number]>(
    `INSERT INTO outbox (key, recipients, text, sender, status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  const get = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE key = ?');
  const due = db.prepare<[number, number, number], OutboxRow>(
    `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND leased_until <= ?
     ORDER BY created_at, rowid LIMIT ?`,
  );
  const lease = db.prepare<[number, string]>('UPDATE outbox SET leased_until = ? WHERE key = ?');
  // Only a pending item moves: a worker whose lease ran out may report late, and must not reopen a settled one.
  const sent = db.prepare<[number, string, string]>(
    `UPDATE outbox SET status = 'sent', attempts = ?, result = ?, last_error = NULL, leased_until = 0
     WHERE key = ? AND status = 'pending'`,
  );
  const retry = db.prepare<[number, number, string, string | null, string]>(
    `UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, progress = COALESCE(?, progress),
       leased_until = 0
     WHERE key = ? AND status = 'pending'`,
  );
  const failed = db.prepare<[number, string, string | null, string]>(
    `UPDATE outbox SET status = 'failed', attempts = ?, last_error = ?, result = COALESCE(?, result), leased_until = 0
     WHERE key = ? AND status = 'pending'`,
  );
  // Select and lease together, so two workers (or two processes on the file) never take the same item.
  const claim = db.transaction((now: number, limit: number, leaseMs: number) => {
    const rows = due.all(now, now, limit);
    for (const row of rows) lease.run(now + leaseMs, row.key);
    return rows.map(toItem);
  });
  const logRecipient = db.prepare(
    `UPDATE sms_log SET status = @status, provider_message_id = COALESCE(@messageId, provider_message_id),
       failure_reason = COALESCE(@reason, failure_reason), updated_at = @at
     WHERE outbox_key = @key AND to_phone = @to AND direction = 'out'`,
  );
  const logRestFailed = db.prepare(
    `UPDATE sms_log SET status = 'failed', failure_reason = COALESCE(failure_reason, @reason), updated_at = @at
     WHERE outbox_key = @key AND direction = 'out' AND status = 'queued'`,
  );
  const logResults = (key: string, results: readonly SmsRecipientResult[]) => {
    const at = isoNow(ctx);
    for (const r of results) {
      if (r.status === 'retryable') continue;
      logRecipient.run({
        key,
        to: r.to,
        status: r.status === 'accepted' ? 'sent' : 'failed',
        messageId: r.messageId ?? null,
        reason: r.status === 'failed' ? (r.reason ?? null) : null,
        at,
      });
    }
  };
  const markSent = db.transaction((key: string, result: SmsResult, attempts: number) => {
    if (sent.run(attempts, JSON.stringify(result), key).changes === 0) return mustExist(key);
    logResults(key, result.recipients);
  });
  const markRetry = db.transaction(
    (key: string, attempts: number, nextAttemptAt: number, error: string, progress: OutboxProgress | undefined) => {
      const changes = retry.run(
        attempts,
        nextAttemptAt,
        error,
        progress ? JSON.stringify(progress) : null,
        key,
      ).changes;
      if (changes === 0) return mustExist(key);
      if (progress) logResults(key, progress.settled);
    },
  );
  const markFailed = db.transaction((key: string, attempts: number, error: string, result: SmsResult | undefined) => {
    if (failed.run(attempts, error, result ? JSON.stringify(result) : null, key).changes === 0) return mustExist(key);
    if (result) logResults(key, result.recipients);
    logRestFailed.run({ key, reason: error, at: isoNow(ctx) });
  });
  const mustExist = (key: string) => {
    if (!get.get(key)) throw new UssdError('STORE', `outbox item not found: ${key}`);
  };

  return {
    name: 'sqlite',
    add: (item) =>
      exec.run(
        () =>
          insert.run(
            item.key,
            JSON.stringify(item.message.to),
            item.message.text,
            item.message.from ?? null,
            item.createdAt,
            item.createdAt,
          ).changes === 1,
      ),
    get: (key) =>
      exec.run(() => {
        const row = get.get(key);
        return row ? toItem(row) : null;
      }),
    claimDue: (now, limit, leaseMs) => exec.run(() => (limit > 0 ? claim.immediate(now, limit, leaseMs) : [])),
    markSent: (key, result, attempts) => exec.run(() => markSent(key, result, attempts)),
    markRetry: (key, attempts, nextAttemptAt, error, progress) =>
      exec.run(() => markRetry(key, attempts, nextAttemptAt, error, progress)),
    markFailed: (key, attempts, error, result) => exec.run(() => markFailed(key, attempts, error, result)),
  };
}
