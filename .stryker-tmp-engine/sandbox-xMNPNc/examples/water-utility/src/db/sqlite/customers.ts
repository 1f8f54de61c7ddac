// @ts-nocheck
import type { Customer } from '../../domain/model.js';
import type { CustomerRepository } from '../../domain/ports.js';
import { isoNow, type SqliteContext } from './context.js';

interface CustomerRow {
  id: number;
  code: string;
  name: string;
  created_at: string;
}

const toCustomer = (r: CustomerRow): Customer => ({ id: r.id, code: r.code, name: r.name, createdAt: r.created_at });

export function sqliteCustomers(ctx: SqliteContext): CustomerRepository {
  const { db, exec } = ctx;
  const upsert = db.prepare<[string, string, string], CustomerRow>(
    `INSERT INTO customers (code, name, created_at) VALUES (?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING *`,
  );
  const byId = db.prepare<[number], CustomerRow>('SELECT * FROM customers WHERE id = ?');
  const byPhone = db.prepare<[string], CustomerRow>(
    `SELECT c.* FROM customers c JOIN customer_phones p ON p.customer_id = c.id
     WHERE p.phone = ? ORDER BY c.id LIMIT 1`,
  );
  const addPhone = db.prepare<[number, string, string]>(
    'INSERT OR IGNORE INTO customer_phones (customer_id, phone, created_at) VALUES (?, ?, ?)',
  );
  const phones = db.prepare<[number], { phone: string }>(
    'SELECT phone FROM customer_phones WHERE customer_id = ? ORDER BY created_at, phone',
  );

  return {
    upsert: (input) => exec.run(() => toCustomer(upsert.get(input.code, input.name, isoNow(ctx)) as CustomerRow)),
    get: (id) =>
      exec.run(() => {
        const row = byId.get(id);
        return row ? toCustomer(row) : null;
      }),
    findByPhone: (phone) =>
      exec.run(() => {
        const row = byPhone.get(phone);
        return row ? toCustomer(row) : null;
      }),
    addPhone: (customerId, phone) =>
      exec.run(() => {
        addPhone.run(customerId, phone, isoNow(ctx));
      }),
    phones: (customerId) => exec.run(() => phones.all(customerId).map((r) => r.phone)),
  };
}
