import type { IssueCategory, Language } from '../domain/model.js';

/** What the USSD menu needs from the water service. Plain data in, plain data out, so the menu stays testable. */
export interface MenuServices {
  /** The phone's language and the accounts it may act for. */
  lookupPhone(phone: string): Promise<{ lang: Language; accounts: AccountRef[] }>;
  /** Whether an open account with this number exists; nothing else about it (the asking phone is a stranger). */
  findAccount(number: string): Promise<boolean>;
  setLanguage(phone: string, lang: Language): Promise<void>;
  /** Null when there are no readings, or when the phone is not registered on the account. */
  usage(account: string, phone: string): Promise<UsageView | null>;
  /** Texts the statement to the phone, only when it is registered on the account. */
  sendStatement(account: string, phone: string, lang: Language): Promise<void>;
  /** The open balance of an account, or why it cannot be paid now; `none` for a phone not registered on it. */
  billFor(account: string, phone: string): Promise<BillView>;
  startPayment(
    p: { account: string; phone: string; amount: number },
    signal: AbortSignal,
  ): Promise<StartPaymentOutcome>;
  reportIssue(
    p: {
      account: string;
      phone: string;
      category: IssueCategory;
      description?: string | undefined;
    },
    signal: AbortSignal,
  ): Promise<{ reference: string } | { limited: true }>;
}

export interface AccountRef {
  number: string;
  name: string;
  location: string;
}

export interface UsageView {
  period: string;
  used: number;
  lastReading: { value: number; date: string } | null;
  previousPeriod: string;
  previousUse: number | null;
  dailyAverage: number;
  /** Today is the period's first day: its use so far says nothing yet, so the screen leads with the last one. */
  periodJustStarted: boolean;
}

export type BillView =
  | { kind: 'open'; balance: number; dueDate: string; period: string }
  | { kind: 'none'; credit: number }
  /** `phone`: the payer's phone the prompt waits on, masked. */
  | { kind: 'pending'; phone: string };

/**
 * `uncertain`: the push request failed in a way that may still have reached the phone (timeout, 5xx), so the
 * customer is told to watch for the prompt rather than that nothing happened.
 */
export type StartPaymentOutcome =
  | { ok: true; reference: string }
  | { ok: false; reason: 'pending'; phone: string }
  | { ok: false; reason: 'no_bill' | 'unavailable' | 'uncertain' };
