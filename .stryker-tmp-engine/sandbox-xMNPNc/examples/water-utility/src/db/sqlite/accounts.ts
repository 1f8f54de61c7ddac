// @ts-nocheck
import type { Account, AccountStatus } from '../../domain/model.js';
import type { AccountRepository } from '../../domain/ports.js';
import { fromCents, toCents } from '../../domain/units.js';
import { isoNow, type SqliteContext } from './context.js';

interface AccountRow {
  number: string;
  customer_id: number | null;
  name: string;
  zone: string;
  location: string;
  status: AccountStatus;
  credit_cents: number;
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
  credit: fromCents(r.credit_cents),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function sqliteAccounts(ctx: SqliteContext): AccountRepository {
  const { db, exec } = ctx;
  const upsert = db.prepare<
    {
      number: string;
      customerId: number | null;
      name: string;
      zone: string;
      location: string;
      status: string;
      at: string;
    },
    AccountRow
  >(
    `INSERT INTO accounts (number, customer_id, name, zone, location, status, created_at, updated_at)
     VALUES (@number, @customerId, @name, @zone, @location, @status, @at, @at)
     ON CONFLICT (number) DO UPDATE SET customer_id = excluded.customer_id, name = excluded.name,
       zone = excluded.zone, location = excluded.location, status = excluded.status, updated_at = excluded.updated_at
     RETURNING *`,
  );
  const byNumber = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE number = ?');
  const all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY number');
  const byStatus = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE status = ? ORDER BY number');
  const forPhone = db.prepare<[string], AccountRow>(
    `SELECT a.* FROM accounts a JOIN account_phones p ON p.account_number = a.number
     WHERE p.phone = ? ORDER BY a.number`,
  );
  const link = db.prepare<[string, string, string]>(
    'INSERT OR IGNORE INTO account_phones (account_number, phone, created_at) VALUES (?, ?, ?)',
  );
  const phones = db.prepare<[string], { phone: string }>(
    'SELECT phone FROM account_phones WHERE account_number = ? ORDER BY created_at, phone',
  );
  const setCredit = db.prepare<[number, string, string]>(
    'UPDATE accounts SET credit_cents = ?, updated_at = ? WHERE number = ?',
  );

  return {
    upsert: (input) =>
      exec.run(() => {
        const existing = byNumber.get(input.number);
        return toAccount(
          upsert.get({
            number: input.number,
            customerId: input.customerId === undefined ? (existing?.customer_id ?? null) : input.customerId,
            name: input.name,
            zone: input.zone,
            location: input.location,
            status: input.status ?? existing?.status ?? 'active',
            at: isoNow(ctx),
          }) as AccountRow,
        );
      }),
    get: (number) =>
      exec.run(() => {
        const row = byNumber.get(number);
        return row ? toAccount(row) : null;
      }),
    list: (filter = {}) => exec.run(() => (filter.status ? byStatus.all(filter.status) : all.all()).map(toAccount)),
    forPhone: (phone) => exec.run(() => forPhone.all(phone).map(toAccount)),
    linkPhone: (account, phone) =>
      exec.run(() => {
        link.run(account, phone, isoNow(ctx));
      }),
    phones: (account) => exec.run(() => phones.all(account).map((r) => r.phone)),
    setCredit: (account, credit) =>
      exec.run(() => {
        setCredit.run(toCents(credit), isoNow(ctx), account);
      }),
  };
}
