import type { Account, Bill, Repositories } from '../db/repositories.js';
import { fromCents, toCents } from './units.js';

export interface AccountSummary {
  account: Account;
  /** Sum of unpaid bill balances, KES. */
  balance: number;
  /** Oldest bill with a balance: the one a payment goes to first. */
  oldestUnpaid: Bill | null;
  latestBill: Bill | null;
}

/** What the menu shows for each account a phone may act for, in account-number order. */
export async function accountsForPhone(repos: Repositories, phone: string): Promise<AccountSummary[]> {
  const out: AccountSummary[] = [];
  for (const account of await repos.accounts.forPhone(phone)) out.push(await summarize(repos, account));
  return out;
}

export async function accountSummary(repos: Repositories, number: string): Promise<AccountSummary | null> {
  const account = await repos.accounts.get(number);
  return account ? summarize(repos, account) : null;
}

async function summarize(repos: Repositories, account: Account): Promise<AccountSummary> {
  const [unpaid, latestBill] = await Promise.all([
    repos.bills.unpaidForAccount(account.number),
    repos.bills.latestForAccount(account.number),
  ]);
  return {
    account,
    balance: fromCents(unpaid.reduce((sum, b) => sum + toCents(b.balance), 0)),
    oldestUnpaid: unpaid[0] ?? null,
    latestBill,
  };
}
