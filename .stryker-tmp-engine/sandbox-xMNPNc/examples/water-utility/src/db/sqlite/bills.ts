// @ts-nocheck
import type { Bill, BillStatus } from '../../domain/model.js';
import type { BillRepository } from '../../domain/ports.js';
import { fromCents, fromLitres, toCents, toLitres } from '../../domain/units.js';
import { isoNow, type SqliteContext } from './context.js';

interface BillRow {
  id: number;
  account_number: string;
  period: string;
  period_start: string;
  period_end: string;
  opening_litres: number;
  closing_litres: number;
  consumption_litres: number;
  amount_cents: number;
  credit_applied_cents: number;
  paid_cents: number;
  balance_cents: number;
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
  openingReading: fromLitres(r.opening_litres),
  closingReading: fromLitres(r.closing_litres),
  consumption: fromLitres(r.consumption_litres),
  amount: fromCents(r.amount_cents),
  creditApplied: fromCents(r.credit_applied_cents),
  paid: fromCents(r.paid_cents),
  balance: fromCents(r.balance_cents),
  dueDate: r.due_date,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function sqliteBills(ctx: SqliteContext): BillRepository {
  const { db, exec } = ctx;
  const insert = db.prepare(
    `INSERT INTO bills (account_number, period, period_start, period_end, opening_litres, closing_litres,
       consumption_litres, amount_cents, credit_applied_cents, paid_cents, balance_cents, due_date, status,
       created_at, updated_at)
     VALUES (@account, @period, @periodStart, @periodEnd, @opening, @closing, @consumption, @amount, @credit, 0,
       @balance, @dueDate, @status, @at, @at)
     ON CONFLICT (account_number, period) DO NOTHING
     RETURNING *`,
  );
  const byId = db.prepare<[number], BillRow>('SELECT * FROM bills WHERE id = ?');
  const byPeriod = db.prepare<[string, string], BillRow>('SELECT * FROM bills WHERE account_number = ? AND period = ?');
  const unpaid = db.prepare<[string], BillRow>(
    `SELECT * FROM bills WHERE account_number = ? AND status != 'paid' ORDER BY period, id`,
  );
  const latest = db.prepare<[string], BillRow>(
    'SELECT * FROM bills WHERE account_number = ? ORDER BY period DESC, id DESC LIMIT 1',
  );
  const list = db.prepare<
    { account: string | null; status: string | null; period: string | null; limit: number },
    BillRow
  >(
    `SELECT * FROM bills
     WHERE (@account IS NULL OR account_number = @account) AND (@status IS NULL OR status = @status)
       AND (@period IS NULL OR period = @period)
     ORDER BY period DESC, account_number LIMIT @limit`,
  );
  const update = db.prepare<[number, number, string, string, number], BillRow>(
    'UPDATE bills SET paid_cents = ?, balance_cents = ?, status = ?, updated_at = ? WHERE id = ? RETURNING *',
  );

  return {
    create: (input) =>
      exec.run(() => {
        const amount = toCents(input.amount);
        const credit = toCents(input.creditApplied);
        const balance = amount - credit;
        const row = insert.get({
          account: input.account,
          period: input.period,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          opening: toLitres(input.openingReading),
          closing: toLitres(input.closingReading),
          consumption: toLitres(input.consumption),
          amount,
          credit,
          balance,
          dueDate: input.dueDate,
          status: balance <= 0 ? 'paid' : 'open',
          at: isoNow(ctx),
        }) as BillRow | undefined;
        if (row) return { bill: toBill(row), created: true };
        return { bill: toBill(byPeriod.get(input.account, input.period) as BillRow), created: false };
      }),
    get: (id) =>
      exec.run(() => {
        const row = byId.get(id);
        return row ? toBill(row) : null;
      }),
    getByPeriod: (account, period) =>
      exec.run(() => {
        const row = byPeriod.get(account, period);
        return row ? toBill(row) : null;
      }),
    unpaidForAccount: (account) => exec.run(() => unpaid.all(account).map(toBill)),
    latestForAccount: (account) =>
      exec.run(() => {
        const row = latest.get(account);
        return row ? toBill(row) : null;
      }),
    list: (filter = {}) =>
      exec.run(() =>
        list
          .all({
            account: filter.account ?? null,
            status: filter.status ?? null,
            period: filter.period ?? null,
            limit: filter.limit ?? 100,
          })
          .map(toBill),
      ),
    updateBalance: (id, u) =>
      exec.run(() => {
        const row = update.get(toCents(u.paid), toCents(u.balance), u.status, isoNow(ctx), id);
        if (!row) throw new Error(`bill ${id} not found`);
        return toBill(row);
      }),
  };
}
