// @ts-nocheck
// Issue reports (no water, leaks, burst pipes...). A report, the reporter's confirmation and the alerts to the
// operations phones commit in one transaction, and the SMS go out from the outbox: a provider outage delays
// the texts but never loses the report.

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
  | { ok: false; reason: 'unknown_account'; message: string };

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
    return repos.transaction(async (tx) => {
      if (input.inboundId) {
        const existing = await tx.issues.getByInboundId(input.inboundId);
        if (existing) return { ok: true as const, issue: existing, created: false };
      }
      const account = await tx.accounts.get(input.account);
      if (!account) {
        return {
          ok: false as const,
          reason: 'unknown_account' as const,
          message: `Account ${input.account} does not exist`,
        };
      }
      const at = now();
      const description = cleanText(input.description ?? '').slice(0, DESCRIPTION_MAX) || null;
      const location = cleanText(input.location ?? '') || `${account.location}, ${account.zone}`;
      const reference = await tx.issues.nextReference();
      const issue = await tx.issues.create(reference, {
        category: input.category,
        description,
        account: account.number,
        location,
        channel: input.channel,
        reporterPhone: input.phone,
        inboundId: input.inboundId ?? null,
      });
      const lang = await languageOf(tx, input.phone);
      await queueSms(tx, at, {
        key: `issue:${reference}:confirm`,
        to: input.phone,
        text: issueConfirmation(lang, brand, { reference, category: issue.category, account: account.number }),
        issueReference: reference,
      });
      const alert = issueAlert({
        reference,
        category: issue.category,
        account: account.number,
        location,
        description,
        channel: issue.channel,
      });
      // The alert is for the utility: a reporter who is also on the operations list gets the confirmation only.
      for (const phone of opsPhones) {
        if (phone === input.phone) continue;
        await queueSms(tx, at, {
          key: `issue:${reference}:alert:${phoneKey(phone)}`,
          to: phone,
          text: alert,
          issueReference: reference,
        });
      }
      return { ok: true as const, issue, created: true };
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
