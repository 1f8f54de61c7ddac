// Issue reports (no water, leaks, burst pipes...). A report, the reporter's confirmation and the alerts to the
// operations phones commit in one transaction, and the SMS go out from the outbox: a provider outage delays
// the texts but never loses the report.

import { alertWindow, confirmationKey, FOLD_WINDOW_MS, mayTextStranger, reportLimit } from './abuse.js';
import { type Brand, issueAlert, issueConfirmation, issueStatusChanged } from './messages.js';
import type { Channel, Issue, IssueCategory, IssueStatus } from './model.js';
import { languageOf, phoneKey, queueSms } from './notify.js';
import type { Repositories } from './ports.js';

export interface IssueServiceOptions {
  repos: Repositories;
  brand: Brand;
  /** E.164 numbers of the operations team; each gets an alert for every new report. */
  opsPhones: readonly string[];
  now?: (() => Date) | undefined;
}

export interface ReportIssueInput {
  account: string;
  category: IssueCategory;
  description?: string | null | undefined;
  channel: Channel;
  phone: string;
  /** Where the problem is, when it is not the account's own address. */
  location?: string | null | undefined;
  /** Provider id of the incoming SMS: the same id records one issue however often it is delivered. */
  inboundId?: string | null | undefined;
}

export type ReportIssueResult =
  | { ok: true; issue: Issue; created: boolean }
  | { ok: false; reason: 'unknown_account' | 'limited'; message: string };

export type ChangeStatusResult =
  | { ok: true; issue: Issue; changed: boolean }
  | { ok: false; reason: 'not_found' | 'invalid_transition'; message: string };

export const DESCRIPTION_MAX = 500;

/** Free text as stored and forwarded: control characters (NUL, escape sequences) become spaces, runs collapse. */
export function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
const STATUS_RANK: Record<IssueStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };

export function createIssueService(options: IssueServiceOptions) {
  const { repos, brand } = options;
  const now = options.now ?? (() => new Date());
  const opsPhones = [...new Set(options.opsPhones)];

  async function reportIssue(input: ReportIssueInput): Promise<ReportIssueResult> {
    return repos.transaction(async (tx): Promise<ReportIssueResult> => {
      if (input.inboundId) {
        const existing = await tx.issues.getByInboundId(input.inboundId);
        if (existing) return { ok: true, issue: existing, created: false };
      }
      const account = await tx.accounts.get(input.account);
      if (!account) {
        return { ok: false, reason: 'unknown_account', message: `Account ${input.account} does not exist` };
      }
      const at = now();
      const limited = await reportLimit(tx, { phone: input.phone, account: account.number }, at);
      if (limited) {
        return {
          ok: false,
          reason: 'limited',
          message:
            limited === 'phone'
              ? 'This phone has made too many reports in the last hour'
              : `Account ${account.number} has had too many reports in the last hour`,
        };
      }
      // A repeat (same account and category while an issue is open) is counted on that issue, not a new one.
      const since = at.getTime() - FOLD_WINDOW_MS;
      const open = (await tx.issues.list({ account: account.number, category: input.category, limit: 20 })).find(
        (i) => i.status !== 'resolved' && Date.parse(i.createdAt) > since,
      );
      let issue: Issue;
      if (open) {
        issue = await tx.issues.addReport(open.reference, at.toISOString());
      } else {
        const description = cleanText(input.description ?? '').slice(0, DESCRIPTION_MAX) || null;
        const location = cleanText(input.location ?? '') || `${account.location}, ${account.zone}`;
        issue = await tx.issues.create(await tx.issues.nextReference(), {
          category: input.category,
          description,
          account: account.number,
          location,
          channel: input.channel,
          reporterPhone: input.phone,
          inboundId: input.inboundId ?? null,
        });
      }
      const { reference } = issue;
      await tx.issueReports.record({
        issueReference: reference,
        account: account.number,
        category: issue.category,
        phone: input.phone,
        at: at.toISOString(),
      });
      if (await mayTextStranger(tx, input.phone, at)) {
        const lang = await languageOf(tx, input.phone);
        await queueSms(tx, at, {
          key: confirmationKey(reference, input.phone),
          to: input.phone,
          text: issueConfirmation(lang, brand, { reference, category: issue.category, account: account.number }),
          issueReference: reference,
        });
      }
      // One alert per account, category and hour, carrying how many reports the issue has had.
      const alert = issueAlert({
        reference,
        category: issue.category,
        account: account.number,
        location: issue.location,
        description: issue.description,
        channel: issue.channel,
        reports: issue.reports,
      });
      const window = alertWindow(at);
      // The alert is for the utility: a reporter who is also on the operations list gets the confirmation only.
      for (const phone of opsPhones) {
        if (phone === input.phone) continue;
        await queueSms(tx, at, {
          key: `issue-alert:${account.number}:${issue.category}:${window}:${phoneKey(phone)}`,
          to: phone,
          text: alert,
          issueReference: reference,
        });
      }
      return { ok: true, issue, created: !open };
    });
  }

  /** Moves a report forward (open -> acknowledged -> resolved) and texts the reporter in the same transaction. */
  async function changeStatus(reference: string, status: IssueStatus): Promise<ChangeStatusResult> {
    return repos.transaction(async (tx) => {
      const issue = await tx.issues.getByReference(reference);
      if (!issue) return { ok: false as const, reason: 'not_found' as const, message: `No issue ${reference}` };
      if (issue.status === status) return { ok: true as const, issue, changed: false };
      if (STATUS_RANK[status] < STATUS_RANK[issue.status]) {
        return {
          ok: false as const,
          reason: 'invalid_transition' as const,
          message: `Issue ${reference} is ${issue.status}; it cannot go back to ${status}`,
        };
      }
      const at = now();
      const updated = await tx.issues.updateStatus(reference, status, at.toISOString());
      if (status !== 'open') {
        const lang = await languageOf(tx, issue.reporterPhone);
        await queueSms(tx, at, {
          key: `issue:${reference}:${status}`,
          to: issue.reporterPhone,
          text: issueStatusChanged(lang, brand, { reference, status }),
          issueReference: reference,
        });
      }
      return { ok: true as const, issue: updated, changed: true };
    });
  }

  return {
    reportIssue,
    changeStatus,
    get: (reference: string) => repos.issues.getByReference(reference),
    list: repos.issues.list,
  };
}

export type IssueService = ReturnType<typeof createIssueService>;
