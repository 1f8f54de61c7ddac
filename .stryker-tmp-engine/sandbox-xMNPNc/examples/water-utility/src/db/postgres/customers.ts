// @ts-nocheck
import type { Customer } from '../../domain/model.js';
import type { CustomerRepository } from '../../domain/ports.js';
import { isoNow, type PgContext } from './context.js';

interface CustomerRow {
  id: number;
  code: string;
  name: string;
  created_at: string;
}

const toCustomer = (r: CustomerRow): Customer => ({ id: r.id, code: r.code, name: r.name, createdAt: r.created_at });

export function postgresCustomers(ctx: PgContext): CustomerRepository {
  const one = async (sql: string, values: unknown[]) => {
    const row = await ctx.one<CustomerRow>(sql, values);
    return row ? toCustomer(row) : null;
  };
  return {
    upsert: async (input) =>
      toCustomer(
        (await ctx.one<CustomerRow>(
          `INSERT INTO customers (code, name, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING *`,
          [input.code, input.name, isoNow(ctx)],
        )) as CustomerRow,
      ),
    get: (id) => one('SELECT * FROM customers WHERE id = $1', [id]),
    findByPhone: (phone) =>
      one(
        `SELECT c.* FROM customers c JOIN customer_phones p ON p.customer_id = c.id
         WHERE p.phone = $1 ORDER BY c.id LIMIT 1`,
        [phone],
      ),
    addPhone: async (customerId, phone) => {
      await ctx.run(
        'INSERT INTO customer_phones (customer_id, phone, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [customerId, phone, isoNow(ctx)],
      );
    },
    phones: async (customerId) =>
      (
        await ctx.rows<{ phone: string }>(
          'SELECT phone FROM customer_phones WHERE customer_id = $1 ORDER BY created_at, phone',
          [customerId],
        )
      ).map((r) => r.phone),
  };
}
