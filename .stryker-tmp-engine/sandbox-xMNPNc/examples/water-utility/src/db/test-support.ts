// @ts-nocheck
// Shared by the tests: an in-memory database with a clock the test moves by hand.
import type { Brand } from '../domain/messages.js';
import { openSqliteRepositories, type SqliteRepositories } from './sqlite/index.js';

export interface TestClock {
  now: () => Date;
  set(iso: string): void;
  advance(ms: number): void;
}

export function testClock(start = '2026-11-20T10:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const TEST_BRAND: Brand = { utilityName: 'rolax Water', contact: '0800 720 000', ussdCode: '*384*1234#' };

export function memoryRepos(clock: TestClock = testClock()): SqliteRepositories {
  return openSqliteRepositories({ file: ':memory:', now: clock.now });
}

/** One account with one meter, linked to a phone. */
export async function addAccount(
  repos: SqliteRepositories,
  number: string,
  phone = '+254711000111',
  extra: { zone?: string; location?: string } = {},
): Promise<void> {
  const customer = await repos.customers.upsert({ code: `C-${number}`, name: `Customer ${number}` });
  await repos.customers.addPhone(customer.id, phone);
  await repos.accounts.upsert({
    number,
    customerId: customer.id,
    name: `Customer ${number}`,
    zone: extra.zone ?? 'Zone A',
    location: extra.location ?? 'Kahawa West',
  });
  await repos.accounts.linkPhone(number, phone);
  await repos.meters.upsert({ id: `MTR-${number}`, account: number, sensorId: `SN-${number}` });
}

/** Outbox rows straight from the table, oldest first. */
export function outboxRows(repos: SqliteRepositories): { key: string; to: string[]; text: string }[] {
  return (
    repos.db.prepare('SELECT key, recipients, text FROM outbox ORDER BY created_at, rowid').all() as {
      key: string;
      recipients: string;
      text: string;
    }[]
  ).map((r) => ({ key: r.key, to: JSON.parse(r.recipients) as string[], text: r.text }));
}
