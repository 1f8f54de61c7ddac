// @ts-nocheck
import type { Payment, PaymentHistoryEntry, PaymentState } from '../../domain/model.js';
import type { PaymentRepository } from '../../domain/ports.js';
import { fromCents, toCents } from '../../domain/units.js';
import { isoNow, type SqliteContext } from './context.js';

interface PaymentRow {
  id: number;
  reference: string;
  account_number: string;
  bill_id: number;
  attempt: number;
  phone: string;
  amount_cents: number;
  currency: string;
  provider: string;
  provider_id: string | null;
  state: PaymentState;
  paid_cents: number | null;
  mpesa_reference: string | null;
  failure_reason: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

interface HistoryRow {
  reference: string;
  from_state: PaymentState;
  to_state: PaymentState;
  raw_state: string;
  applied: number;
  provider_updated_at: string | null;
  received_at: string;
}

const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  reference: r.reference,
  account: r.account_number,
  billId: r.bill_id,
  attempt: r.attempt,
  phone: r.phone,
  amount: fromCents(r.amount_cents),
  currency: r.currency,
  provider: r.provider,
  providerId: r.provider_id,
  state: r.state,
  paidAmount: r.paid_cents === null ? null : fromCents(r.paid_cents),
  mpesaReference: r.mpesa_reference,
  failureReason: r.failure_reason,
  failureCode: r.failure_code,
  failureMessage: r.failure_message,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
});

export function sqlitePayments(ctx: SqliteContext): PaymentRepository {
  const { db, exec } = ctx;
  const insert = db.prepare(
    `INSERT INTO payments (reference, account_number, bill_id, attempt, phone, amount_cents, currency, provider,
       state, created_at, updated_at)
     VALUES (@reference, @account, @billId, @attempt, @phone, @amount, @currency, @provider, 'PENDING', @at, @at)
     RETURNING *`,
  );
  const byRef = db.prepare<[string], PaymentRow>('SELECT * FROM payments WHERE reference = ?');
  const byProviderId = db.prepare<[string], PaymentRow>(
    'SELECT * FROM payments WHERE provider_id = ? ORDER BY id DESC LIMIT 1',
  );
  const active = db.prepare<[number], PaymentRow>(
    `SELECT * FROM payments WHERE bill_id = ? AND state IN ('PENDING', 'PROCESSING') ORDER BY id`,
  );
  const lastAttempt = db.prepare<[number], { n: number | null }>(
    'SELECT MAX(attempt) AS n FROM payments WHERE bill_id = ?',
  );
  const update = db.prepare(
    `UPDATE payments SET
       state = COALESCE(@state, state),
       provider_id = COALESCE(@providerId, provider_id),
       paid_cents = COALESCE(@paid, paid_cents),
       mpesa_reference = COALESCE(@mpesaReference, mpesa_reference),
       failure_reason = COALESCE(@failureReason, failure_reason),
       failure_code = COALESCE(@failureCode, failure_code),
       failure_message = COALESCE(@failureMessage, failure_message),
       completed_at = COALESCE(@completedAt, completed_at),
       updated_at = @at
     WHERE reference = @reference RETURNING *`,
  );
  const addHistory = db.prepare(
    `INSERT INTO payment_events (payment_id, from_state, to_state, raw_state, applied, provider_updated_at, received_at)
     SELECT id, @fromState, @toState, @rawState, @applied, @providerUpdatedAt, @receivedAt FROM payments
     WHERE reference = @reference`,
  );
  const history = db.prepare<[string], HistoryRow>(
    `SELECT p.reference, e.from_state, e.to_state, e.raw_state, e.applied, e.provider_updated_at, e.received_at
     FROM payment_events e JOIN payments p ON p.id = e.payment_id WHERE p.reference = ? ORDER BY e.id`,
  );
  const list = db.prepare<{ state: string | null; account: string | null; limit: number }, PaymentRow>(
    `SELECT * FROM payments WHERE (@state IS NULL OR state = @state) AND (@account IS NULL OR account_number = @account)
     ORDER BY id DESC LIMIT @limit`,
  );

  return {
    create: (input) =>
      exec.run(() =>
        toPayment(
          insert.get({
            reference: input.reference,
            account: input.account,
            billId: input.billId,
            attempt: input.attempt,
            phone: input.phone,
            amount: toCents(input.amount),
            currency: input.currency,
            provider: input.provider,
            at: isoNow(ctx),
          }) as PaymentRow,
        ),
      ),
    getByReference: (reference) =>
      exec.run(() => {
        const row = byRef.get(reference);
        return row ? toPayment(row) : null;
      }),
    getByProviderId: (providerId) =>
      exec.run(() => {
        const row = byProviderId.get(providerId);
        return row ? toPayment(row) : null;
      }),
    activeForBill: (billId) => exec.run(() => active.all(billId).map(toPayment)),
    lastAttempt: (billId) => exec.run(() => lastAttempt.get(billId)?.n ?? 0),
    update: (reference, u) =>
      exec.run(() => {
        const row = update.get({
          reference,
          state: u.state ?? null,
          providerId: u.providerId ?? null,
          paid: u.paidAmount === undefined ? null : toCents(u.paidAmount),
          mpesaReference: u.mpesaReference ?? null,
          failureReason: u.failureReason ?? null,
          failureCode: u.failureCode ?? null,
          failureMessage: u.failureMessage ?? null,
          completedAt: u.completedAt ?? null,
          at: isoNow(ctx),
        }) as PaymentRow | undefined;
        if (!row) throw new Error(`payment ${reference} not found`);
        return toPayment(row);
      }),
    addHistory: (entry) =>
      exec.run(() => {
        addHistory.run({
          reference: entry.reference,
          fromState: entry.fromState,
          toState: entry.toState,
          rawState: entry.rawState,
          applied: entry.applied ? 1 : 0,
          providerUpdatedAt: entry.providerUpdatedAt,
          receivedAt: entry.receivedAt ?? isoNow(ctx),
        });
      }),
    history: (reference) =>
      exec.run(() =>
        history.all(reference).map(
          (r): PaymentHistoryEntry => ({
            reference: r.reference,
            fromState: r.from_state,
            toState: r.to_state,
            rawState: r.raw_state,
            applied: r.applied === 1,
            providerUpdatedAt: r.provider_updated_at,
            receivedAt: r.received_at,
          }),
        ),
      ),
    list: (filter = {}) =>
      exec.run(() =>
        list
          .all({ state: filter.state ?? null, account: filter.account ?? null, limit: filter.limit ?? 100 })
          .map(toPayment),
      ),
  };
}
