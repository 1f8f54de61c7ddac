// @ts-nocheck
import type { Account, Bill } from './model.js';
import type { Repositories } from './ports.js';
import { totalBalance } from './units.js';

export interface AccountSummary {
  account: Account;
  /** Sum of unpaid bill balances, KES. */
  balance: number;
  /** Oldest bill with a balance: the one a payment goes to first. */
  oldestUnpaid: Bill | null;
  latestBill: Bill | null;
}

/** Each account a phone may act for with what it owes, in account-number order. */
export async function accountsForPhone(repos: Repositories, phone: string): Promise<AccountSummary[]> {
  const out: AccountSummary[] = [];
  for (const account of await repos.accounts.forPhone(phone)) out.push(await summarize(repos, account));
  return out;
}

async function summarize(repos: Repositories, account: Account): Promise<AccountSummary> {
  const [unpaid, latestBill] = await Promise.all([
    repos.bills.unpaidForAccount(account.number),
    repos.bills.latestForAccount(account.number),
  ]);
  return {
    account,
    balance: totalBalance(unpaid),
    oldestUnpaid: unpaid[0] ?? null,
    latestBill,
  };
}
