// @ts-nocheck
import { z } from 'zod';
import type { Repositories } from './ports.js';
import { totalBalance } from './units.js';

const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{7,14}$/, 'phone numbers are E.164 with +, e.g. +254711000111');

const meterSchema = z.object({
  id: z.string().trim().min(1).max(40),
  sensorId: z.string().trim().min(1).max(80),
});

const accountSchema = z.object({
  number: z
    .string()
    .trim()
    .regex(/^\d{3,10}$/, 'account numbers are 3 to 10 digits'),
  name: z.string().trim().min(1).max(80),
  zone: z.string().trim().min(1).max(60),
  location: z.string().trim().min(1).max(120),
  status: z.enum(['active', 'suspended', 'closed']).optional(),
  /** Phones allowed to act for this account besides the customer's own. */
  phones: z.array(e164).max(20).default([]),
  meters: z.array(meterSchema).max(20).default([]),
});

const customerSchema = z.object({
  code: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1).max(80),
  phones: z.array(e164).max(20).default([]),
  accounts: z.array(accountSchema).max(100).default([]),
});

export const customerImportSchema = z.object({ customers: z.array(customerSchema).min(1).max(5000) });
export type CustomerImport = z.input<typeof customerImportSchema>;

/**
 * Brings customers, their phones, accounts and meters in from the utility's billing system. Idempotent: rows are
 * keyed by customer code, account number and meter id, so the same file can be sent again after a fix. All or
 * nothing: one bad row and nothing changes.
 */
export async function importCustomers(repos: Repositories, body: unknown) {
  const parsed = customerImportSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false as const, message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  const counts = { customers: 0, accounts: 0, phones: 0, meters: 0 };
  await repos.transaction(async (tx) => {
    for (const c of parsed.data.customers) {
      const customer = await tx.customers.upsert({ code: c.code, name: c.name });
      counts.customers++;
      for (const phone of c.phones) {
        await tx.customers.addPhone(customer.id, phone);
        counts.phones++;
      }
      for (const a of c.accounts) {
        await tx.accounts.upsert({
          number: a.number,
          customerId: customer.id,
          name: a.name,
          zone: a.zone,
          location: a.location,
          status: a.status,
        });
        counts.accounts++;
        for (const phone of new Set([...c.phones, ...a.phones])) await tx.accounts.linkPhone(a.number, phone);
        for (const m of a.meters) {
          await tx.meters.upsert({ id: m.id, account: a.number, sensorId: m.sensorId });
          counts.meters++;
        }
      }
    }
  });
  return { ok: true as const, ...counts };
}

/** What operations see of one account: who may act for it, its meters and what it owes. */
export async function accountView(repos: Repositories, number: string) {
  const account = await repos.accounts.get(number);
  if (!account) return null;
  const [phones, meters, unpaid] = await Promise.all([
    repos.accounts.phones(number),
    repos.meters.forAccount(number),
    repos.bills.unpaidForAccount(number),
  ]);
  return { account, phones, meters, balance: totalBalance(unpaid), unpaidBills: unpaid };
}
