// @ts-nocheck
import type { Payment, PaymentHistoryEntry, PaymentState } from '../../domain/model.js';
import type { PaymentRepository } from '../../domain/ports.js';
import { fromCents, toCents } from '../../domain/units.js';
import { isoNow, num, numOrNull, type PgContext } from './context.js';

interface PaymentRow {
  id: number;
  reference: string;
  account_number: string;
  bill_id: number;
  attempt: number;
  phone: string;
  amount_cents: string;
  currency: string;
  provider: string;
  provider_id: string | null;
  state: PaymentState;
  paid_cents: string | null;
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
  applied: boolean;
  provider_updated_at: string | null;
  received_at: string;
}

const toPayment = (r: PaymentRow): Payment => {
  const paid = numOrNull(r.paid_cents);
  return {
    id: r.id,
    reference: r.reference,
    account: r.account_number,
    billId: r.bill_id,
    attempt: r.attempt,
    phone: r.phone,
    amount: fromCents(num(r.amount_cents)),
    currency: r.currency,
    provider: r.provider,
    providerId: r.provider_id,
    state: r.state,
    paidAmount: paid === null ? null : fromCents(paid),
    mpesaReference: r.mpesa_reference,
    failureReason: r.failure_reason,
    failureCode: r.failure_code,
    failureMessage: r.failure_message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    completedAt: r.completed_at,
  };
};

export function postgresPayments(ctx: PgContext): PaymentRepository {
  const one = async (sql: string, values: unknown[]) => {
    const row = await ctx.one<PaymentRow>(sql, values);
    return row ? toPayment(row) : null;
  };
  return {
    create: async (input) =>
      toPayment(
        (await ctx.one<PaymentRow>(
          `INSERT INTO payments (reference, account_number, bill_id, attempt, phone, amount_cents, currency, provider,
             state, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'PENDING', $9, $9)
           RETURNING *`,
          [
            input.reference,
            input.account,
            input.billId,
            input.attempt,
            input.phone,
            toCents(input.amount),
            input.currency,
            input.provider,
            isoNow(ctx),
          ],
        )) as PaymentRow,
      ),
    getByReference: (reference) => one('SELECT * FROM payments WHERE reference = $1', [reference]),
    getByProviderId: (providerId) =>
      one('SELECT * FROM payments WHERE provider_id = $1 ORDER BY id DESC LIMIT 1', [providerId]),
    activeForBill: async (billId) =>
      (
        await ctx.rows<PaymentRow>(
          `SELECT * FROM payments WHERE bill_id = $1 AND state IN ('PENDING', 'PROCESSING') ORDER BY id`,
          [billId],
        )
      ).map(toPayment),
    lastAttempt: async (billId) =>
      (await ctx.one<{ n: number | null }>('SELECT MAX(attempt) AS n FROM payments WHERE bill_id = $1', [billId]))?.n ??
      0,
    update: async (reference, u) => {
      const row = await ctx.one<PaymentRow>(
        `UPDATE payments SET
           state = COALESCE($2, state),
           provider_id = COALESCE($3, provider_id),
           paid_cents = COALESCE($4, paid_cents),
           mpesa_reference = COALESCE($5, mpesa_reference),
           failure_reason = COALESCE($6, failure_reason),
           failure_code = COALESCE($7, failure_code),
           failure_message = COALESCE($8, failure_message),
           completed_at = COALESCE($9, completed_at),
           updated_at = $10
         WHERE reference = $1 RETURNING *`,
        [
          reference,
          u.state ?? null,
          u.providerId ?? null,
          u.paidAmount === undefined ? null : toCents(u.paidAmount),
          u.mpesaReference ?? null,
          u.failureReason ?? null,
          u.failureCode ?? null,
          u.failureMessage ?? null,
          u.completedAt ?? null,
          isoNow(ctx),
        ],
      );
      if (!row) throw new Error(`payment ${reference} not found`);
      return toPayment(row);
    },
    addHistory: async (entry) => {
      await ctx.run(
        `INSERT INTO payment_events (payment_id, from_state, to_state, raw_state, applied, provider_updated_at,
           received_at)
         SELECT id, $2, $3, $4, $5, $6, $7 FROM payments WHERE reference = $1`,
        [
          entry.reference,
          entry.fromState,
          entry.toState,
          entry.rawState,
          entry.applied,
          entry.providerUpdatedAt,
          entry.receivedAt ?? isoNow(ctx),
        ],
      );
    },
    history: async (reference) =>
      (
        await ctx.rows<HistoryRow>(
          `SELECT p.reference, e.from_state, e.to_state, e.raw_state, e.applied, e.provider_updated_at, e.received_at
           FROM payment_events e JOIN payments p ON p.id = e.payment_id WHERE p.reference = $1 ORDER BY e.id`,
          [reference],
        )
      ).map(
        (r): PaymentHistoryEntry => ({
          reference: r.reference,
          fromState: r.from_state,
          toState: r.to_state,
          rawState: r.raw_state,
          applied: r.applied,
          providerUpdatedAt: r.provider_updated_at,
          receivedAt: r.received_at,
        }),
      ),
    list: async (filter = {}) =>
      (
        await ctx.rows<PaymentRow>(
          `SELECT * FROM payments WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR account_number = $2)
           ORDER BY id DESC LIMIT $3`,
          [filter.state ?? null, filter.account ?? null, filter.limit ?? 100],
        )
      ).map(toPayment),
  };
}
