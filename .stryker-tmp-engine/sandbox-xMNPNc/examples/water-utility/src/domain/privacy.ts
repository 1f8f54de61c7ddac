// @ts-nocheck
// The privacy policy: a household's use, readings, balance and name are shown or texted only to phones registered
// on its account. Anyone else may pay an amount they type and report a problem, and learns nothing more.
import type { Repositories } from './ports.js';

/** True when the phone is one of the account's registered phones. */
export async function isRegistered(repos: Repositories, account: string, phone: string): Promise<boolean> {
  return (await repos.accounts.phones(account)).includes(phone);
}
