// Issue reports by SMS: `ACCOUNT#DESCRIPTION`. People type what they type (`acc 1001 # no water`,
// `A/C1001#Leak at gate`, `1001 hakuna maji`), so the parser is forgiving and anything it cannot read gets a short
// reply that shows the format.

import { mayTextStranger, STRANGER_SMS_PER_HOUR } from './abuse.js';
import type { IssueService } from './issues.js';
import { type Brand, type SmsHelpReason, smsHelp } from './messages.js';
import type { IssueCategory } from './model.js';
import { languageOf, queueSms } from './notify.js';
import type { Repositories } from './ports.js';

export type ParsedIssueSms =
  | { ok: true; account: string; description: string; category: IssueCategory }
  | { ok: false; reason: SmsHelpReason; account?: string | undefined };

// Optional prefix (ACC, A/C, AC, ACCOUNT, AKAUNTI, with an optional "no."), the account digits, then `#`, `:`,
// `-` or just a space before the description.
const COMMAND_RE =
  /^(?:(?:account|akaunti|acc|a\/c|ac)\s*(?:no\.?|number|nambari)?\s*[.:#-]?\s*)?(\d{3,12})\s*(?:[#:*-]+|\s)\s*(.*)$/is;
const ACCOUNT_ONLY_RE =
  /^(?:(?:account|akaunti|acc|a\/c|ac)\s*(?:no\.?|number|nambari)?\s*[.:#-]?\s*)?(\d{3,12})\s*#*$/i;

/**
 * Keywords in English (whole words) and Swahili stems (matched inside words, since Swahili builds verbs around
 * them: `yanavuja`, `limepasuka`), checked in this order so `burst pipe leaking` is a burst.
 */
const CATEGORY_KEYWORDS: readonly (readonly [IssueCategory, RegExp])[] = [
  ['burst_pipe', /\b(burst|bust|broken pipe|pipe broke)|pasuk|vunjik/i],
  ['leak', /\b(leak\w*|drip\w*)|vuj/i],
  ['low_pressure', /\b(pressure|trickl\w*|low flow)|presha|shinikizo|maji kidogo|inatoka kidogo/i],
  ['dirty_water', /\b(dirty|muddy|brown|smell\w*)|chafu|harufu|\btope\b/i],
  ['meter_fault', /\b(meters?|metres?|mita|meta)\b/i],
  ['no_water', /\b(no water|without water|no supply|water off|dry taps?)|hakuna|hamna|hayatoki|hayaji/i],
];

export function guessCategory(text: string): IssueCategory {
  for (const [category, re] of CATEGORY_KEYWORDS) if (re.test(text)) return category;
  return 'other';
}

/** Pure: reads `ACCOUNT#DESCRIPTION` and guesses the category. The account is not checked here. */
export function parseIssueSms(raw: string): ParsedIssueSms {
  const text = raw.replace(/\s+/g, ' ').trim();
  const accountOnly = ACCOUNT_ONLY_RE.exec(text);
  if (accountOnly) return { ok: false, reason: 'no_description', account: accountOnly[1] };
  const m = COMMAND_RE.exec(text);
  if (!m) return { ok: false, reason: 'format' };
  const account = m[1] as string;
  const description = (m[2] ?? '').replace(/^[\s#:*-]+/, '').trim();
  if (!/\p{L}/u.test(description)) return { ok: false, reason: 'no_description', account };
  return { ok: true, account, description, category: guessCategory(description) };
}

export interface IncomingSms {
  /** Provider message id; the same id is handled once. */
  id: string;
  from: string;
  to?: string | undefined;
  text: string;
}

export type IncomingSmsOutcome =
  | { outcome: 'duplicate' }
  /** Over the report limits: recorded as received, not reported, not answered. */
  | { outcome: 'limited' }
  | { outcome: 'issue_reported'; issueReference: string; created: boolean }
  | { outcome: 'help'; reason: SmsHelpReason; replied: boolean };

/** Help replies one phone gets per hour (with its other stranger-triggered SMS); beyond that, no answer. */
export const HELP_REPLIES_PER_HOUR = STRANGER_SMS_PER_HOUR;

export interface SmsCommandOptions {
  repos: Repositories;
  issues: IssueService;
  brand: Brand;
  now?: (() => Date) | undefined;
}

export function createSmsCommandHandler(options: SmsCommandOptions) {
  const { repos, issues, brand } = options;
  const now = options.now ?? (() => new Date());

  /** Records the message, then reports the issue or queues a help reply, all in one transaction. */
  async function handleIncomingSms(sms: IncomingSms): Promise<IncomingSmsOutcome> {
    return repos.transaction(async (tx): Promise<IncomingSmsOutcome> => {
      if (!(await tx.inbound.markProcessed('sms', sms.id))) return { outcome: 'duplicate' };
      const at = now();
      await tx.smsLog.record({
        direction: 'in',
        providerMessageId: sms.id,
        from: sms.from,
        to: sms.to ?? '',
        text: sms.text,
        status: 'received',
        at: at.toISOString(),
      });
      const parsed = parseIssueSms(sms.text);
      let reason: SmsHelpReason;
      if (parsed.ok) {
        const result = await issues.reportIssue({
          account: parsed.account,
          category: parsed.category,
          description: parsed.description,
          channel: 'sms',
          phone: sms.from,
          inboundId: sms.id,
        });
        if (result.ok) {
          return { outcome: 'issue_reported', issueReference: result.issue.reference, created: result.created };
        }
        if (result.reason === 'limited') return { outcome: 'limited' };
        reason = 'unknown_account';
      } else {
        reason = parsed.reason;
      }
      const account = parsed.account;
      // Help replies cost money and a forged sender can name anyone: a few stranger-triggered SMS an hour, no more.
      if (!(await mayTextStranger(tx, sms.from, at))) return { outcome: 'help', reason, replied: false };
      await queueSms(tx, at, {
        key: `sms:${sms.id}:help`,
        to: sms.from,
        text: smsHelp(await languageOf(tx, sms.from), brand, { reason, account }),
      });
      return { outcome: 'help', reason, replied: true };
    });
  }

  return { handleIncomingSms };
}
