// Limits on what a stranger can make the service do. Gateways sign nothing, and a forged SMS may name any phone
// as its sender, so these hold for every phone, registered or not.
import { phoneKey } from './notify.js';
import type { Repositories } from './ports.js';

/** SMS one phone may be sent in an hour by things a stranger can trigger: report confirmations, help replies. */
export const STRANGER_SMS_PER_HOUR = 3;
/** Reports one phone may make in an hour, folded repeats included. */
export const REPORTS_PER_PHONE_PER_HOUR = 5;
/** Reports one account may receive in an hour, from all phones. */
export const REPORTS_PER_ACCOUNT_PER_HOUR = 10;
/** A report for an account and category with an issue open and younger than this is folded into it. */
export const FOLD_WINDOW_MS = 24 * 3_600_000;

const HOUR_MS = 3_600_000;
const STRANGER_TRIGGERED = /^issue:[^:]+:confirm(:|$)|:help$/;

/** Outbox key of a report confirmation: one per issue and reporting phone, however often it reports again. */
export const confirmationKey = (reference: string, phone: string) => `issue:${reference}:confirm:${phoneKey(phone)}`;

/** Whether one more stranger-triggered SMS may go to this phone now. */
export async function mayTextStranger(tx: Repositories, phone: string, at: Date): Promise<boolean> {
  const since = at.getTime() - HOUR_MS;
  const recent = await tx.smsLog.list({ phone, direction: 'out', limit: 50 });
  const count = recent.filter(
    (e) => e.outboxKey && STRANGER_TRIGGERED.test(e.outboxKey) && Date.parse(e.createdAt) > since,
  ).length;
  return count < STRANGER_SMS_PER_HOUR;
}

/** Null when the phone and the account are under their report limits, else why not. */
export async function reportLimit(
  tx: Repositories,
  p: { phone: string; account: string },
  at: Date,
): Promise<'phone' | 'account' | null> {
  const since = new Date(at.getTime() - HOUR_MS).toISOString();
  if ((await tx.issueReports.countSince({ phone: p.phone }, since)) >= REPORTS_PER_PHONE_PER_HOUR) return 'phone';
  if ((await tx.issueReports.countSince({ account: p.account }, since)) >= REPORTS_PER_ACCOUNT_PER_HOUR) {
    return 'account';
  }
  return null;
}

/** The clock hour an alert belongs to: one alert per account, category and hour. */
export const alertWindow = (at: Date) => at.toISOString().slice(0, 13);
