// @ts-nocheck
import type { Account, AccountStatus } from '../../domain/model.js';
import type { AccountRepository } from '../../domain/ports.js';
import { fromCents, toCents } from '../../domain/units.js';
import { isoNow, num, type PgContext } from './context.js';

interface AccountRow {
  number: string;
  customer_id: number | null;
  name: string;
  zone: string;
  location: string;
  status: AccountStatus;
  credit_cents: string;
  created_at: string;
  updated_at: string;
}

const toAccount = (r: AccountRow): Account => ({
  number: r.number,
  customerId: r.customer_id,
  name: r.name,
  zone: r.zone,
  location: r.location,
  status: r.status,
  credit: fromCents(num(r.credit_cents)),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function postgresAccounts(ctx: PgContext): AccountRepository {
  const all = async (sql: string, values: unknown[] = []) => (await ctx.rows<AccountRow>(sql, values)).map(toAccount);
  return {
    // An omitted customer or status keeps the stored one; a new account starts active.
    upsert: async (input) =>
      toAccount(
        (await ctx.one<AccountRow>(
          `INSERT INTO accounts AS a (number, customer_id, name, zone, location, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, COALESCE($6, 'active'), $7, $7)
           ON CONFLICT (number) DO UPDATE SET
             customer_id = CASE WHEN $8 THEN a.customer_id ELSE excluded.customer_id END,
             name = excluded.name, zone = excluded.zone, location = excluded.location,
             status = COALESCE($6, a.status), updated_at = excluded.updated_at
           RETURNING *`,
          [
            input.number,
            input.customerId ?? null,
            input.name,
            input.zone,
            input.location,
            input.status ?? null,
            isoNow(ctx),
            input.customerId === undefined,
          ],
        )) as AccountRow,
      ),
    get: async (number) => {
      const row = await ctx.one<AccountRow>('SELECT * FROM accounts WHERE number = $1', [number]);
      return row ? toAccount(row) : null;
    },
    list: (filter = {}) =>
      filter.status
        ? all('SELECT * FROM accounts WHERE status = $1 ORDER BY number', [filter.status])
        : all('SELECT * FROM accounts ORDER BY number'),
    forPhone: (phone) =>
      all(
        `SELECT a.* FROM accounts a JOIN account_phones p ON p.account_number = a.number
         WHERE p.phone = $1 ORDER BY a.number`,
        [phone],
      ),
    linkPhone: async (account, phone) => {
      await ctx.run(
        'INSERT INTO account_phones (account_number, phone, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [account, phone, isoNow(ctx)],
      );
    },
    phones: async (account) =>
      (
        await ctx.rows<{ phone: string }>(
          'SELECT phone FROM account_phones WHERE account_number = $1 ORDER BY created_at, phone',
          [account],
        )
      ).map((r) => r.phone),
    setCredit: async (account, credit) => {
      await ctx.run('UPDATE accounts SET credit_cents = $1, updated_at = $2 WHERE number = $3', [
        toCents(credit),
        isoNow(ctx),
        account,
      ]);
    },
  };
}
