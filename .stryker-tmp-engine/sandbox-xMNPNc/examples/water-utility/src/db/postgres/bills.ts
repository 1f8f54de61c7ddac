// @ts-nocheck
import type { Bill, BillStatus } from '../../domain/model.js';
import type { BillRepository } from '../../domain/ports.js';
import { fromCents, fromLitres, toCents, toLitres } from '../../domain/units.js';
import { isoNow, num, type PgContext } from './context.js';

interface BillRow {
  id: number;
  account_number: string;
  period: string;
  period_start: string;
  period_end: string;
  opening_litres: string;
  closing_litres: string;
  consumption_litres: string;
  amount_cents: string;
  credit_applied_cents: string;
  paid_cents: string;
  balance_cents: string;
  due_date: string;
  status: BillStatus;
  created_at: string;
  updated_at: string;
}

const toBill = (r: BillRow): Bill => ({
  id: r.id,
  account: r.account_number,
  period: r.period,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  openingReading: fromLitres(num(r.opening_litres)),
  closingReading: fromLitres(num(r.closing_litres)),
  consumption: fromLitres(num(r.consumption_litres)),
  amount: fromCents(num(r.amount_cents)),
  creditApplied: fromCents(num(r.credit_applied_cents)),
  paid: fromCents(num(r.paid_cents)),
  balance: fromCents(num(r.balance_cents)),
  dueDate: r.due_date,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function postgresBills(ctx: PgContext): BillRepository {
  const one = async (sql: string, values: unknown[]) => {
    const row = await ctx.one<BillRow>(sql, values);
    return row ? toBill(row) : null;
  };
  const byPeriod = (account: string, period: string) =>
    one('SELECT * FROM bills WHERE account_number = $1 AND period = $2', [account, period]);
  return {
    // The unique (account, period) key makes a second billing run, on this node or another, a no-op.
    create: async (input) => {
      const amount = toCents(input.amount);
      const credit = toCents(input.creditApplied);
      const balance = amount - credit;
      const row = await ctx.one<BillRow>(
        `INSERT INTO bills (account_number, period, period_start, period_end, opening_litres, closing_litres,
           consumption_litres, amount_cents, credit_applied_cents, paid_cents, balance_cents, due_date, status,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $12, $13, $13)
         ON CONFLICT (account_number, period) DO NOTHING
         RETURNING *`,
        [
          input.account,
          input.period,
          input.periodStart,
          input.periodEnd,
          toLitres(input.openingReading),
          toLitres(input.closingReading),
          toLitres(input.consumption),
          amount,
          credit,
          balance,
          input.dueDate,
          balance <= 0 ? 'paid' : 'open',
          isoNow(ctx),
        ],
      );
      if (row) return { bill: toBill(row), created: true };
      return { bill: (await byPeriod(input.account, input.period)) as Bill, created: false };
    },
    get: (id) => one('SELECT * FROM bills WHERE id = $1', [id]),
    getByPeriod: byPeriod,
    unpaidForAccount: async (account) =>
      (
        await ctx.rows<BillRow>(
          `SELECT * FROM bills WHERE account_number = $1 AND status != 'paid' ORDER BY period, id`,
          [account],
        )
      ).map(toBill),
    latestForAccount: (account) =>
      one('SELECT * FROM bills WHERE account_number = $1 ORDER BY period DESC, id DESC LIMIT 1', [account]),
    list: async (filter = {}) =>
      (
        await ctx.rows<BillRow>(
          `SELECT * FROM bills
           WHERE ($1::text IS NULL OR account_number = $1) AND ($2::text IS NULL OR status = $2)
             AND ($3::text IS NULL OR period = $3)
           ORDER BY period DESC, account_number LIMIT $4`,
          [filter.account ?? null, filter.status ?? null, filter.period ?? null, filter.limit ?? 100],
        )
      ).map(toBill),
    updateBalance: async (id, u) => {
      const row = await ctx.one<BillRow>(
        'UPDATE bills SET paid_cents = $1, balance_cents = $2, status = $3, updated_at = $4 WHERE id = $5 RETURNING *',
        [toCents(u.paid), toCents(u.balance), u.status, isoNow(ctx), id],
      );
      if (!row) throw new Error(`bill ${id} not found`);
      return toBill(row);
    },
  };
}
