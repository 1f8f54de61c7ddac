// Every SMS the service sends, in English and Swahili. Each text fits one GSM-7 SMS (160 characters): plain
// quotes and hyphens only, `m3` rather than the superscript, and any free text from a customer is shortened.
import type { IssueCategory, IssueStatus, Language } from './model.js';
import { fitSms } from './sms-text.js';
import { formatKes, formatM3 } from './units.js';

export interface Brand {
  utilityName: string;
  /** Support line printed at the end of customer messages. */
  contact: string;
  /** USSD code customers dial, e.g. `*384*1234#`. */
  ussdCode: string;
}

const CATEGORY_LABELS: Record<IssueCategory, Record<Language, string>> = {
  no_water: { en: 'No water', sw: 'Hakuna maji' },
  leak: { en: 'Leak', sw: 'Uvujaji' },
  burst_pipe: { en: 'Burst pipe', sw: 'Bomba limepasuka' },
  low_pressure: { en: 'Low pressure', sw: 'Presha ndogo' },
  dirty_water: { en: 'Dirty water', sw: 'Maji machafu' },
  meter_fault: { en: 'Meter fault', sw: 'Hitilafu ya mita' },
  other: { en: 'Other', sw: 'Mengineyo' },
};

export const categoryLabel = (category: IssueCategory, lang: Language): string => CATEGORY_LABELS[category][lang];

const FAILURE_REASONS: Record<string, Record<Language, string>> = {
  cancelled: { en: 'the request was cancelled', sw: 'ombi lilighairiwa' },
  insufficient_funds: { en: 'not enough M-Pesa balance', sw: 'salio la M-Pesa halitoshi' },
  wrong_pin: { en: 'wrong M-Pesa PIN', sw: 'PIN ya M-Pesa si sahihi' },
  unreachable: { en: 'your phone could not be reached', sw: 'simu yako haikupatikana' },
  busy: { en: 'another M-Pesa payment was in progress', sw: 'malipo mengine ya M-Pesa yalikuwa yakiendelea' },
  expired: { en: 'the request timed out', sw: 'muda wa ombi uliisha' },
  push_failed: { en: 'the M-Pesa request could not be sent', sw: 'ombi la M-Pesa halikutumwa' },
  unknown: { en: 'M-Pesa did not complete it', sw: 'M-Pesa haikuyakamilisha' },
};

export const failureReasonText = (reason: string | null | undefined, lang: Language): string =>
  (FAILURE_REASONS[reason ?? 'unknown'] ?? FAILURE_REASONS.unknown)?.[lang] ?? '';

const MONTHS: Record<Language, readonly string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  sw: ['Jan', 'Feb', 'Mac', 'Apr', 'Mei', 'Jun', 'Jul', 'Ago', 'Sep', 'Okt', 'Nov', 'Des'],
};

/** `2026-11` -> `Nov 2026`. */
export const periodLabel = (period: string, lang: Language): string =>
  `${MONTHS[lang][Number(period.slice(5, 7)) - 1] ?? period.slice(5, 7)} ${period.slice(0, 4)}`;

/** `2026-11-27` -> `27 Nov`. */
export const dayLabel = (date: string, lang: Language): string =>
  `${Number(date.slice(8, 10))} ${MONTHS[lang][Number(date.slice(5, 7)) - 1] ?? date.slice(5, 7)}`;

export function paymentReceipt(
  lang: Language,
  brand: Brand,
  /** `balance` null: the payer is not registered on the account, so the receipt says nothing of what it owes. */
  p: { amount: number; account: string; mpesaReference: string | null; balance: number | null; credit: number },
): string {
  const ref = p.mpesaReference ?? '-';
  const tail =
    p.balance === null
      ? ''
      : p.credit > 0
        ? lang === 'sw'
          ? ` Salio la ziada KES ${formatKes(p.credit)}.`
          : ` Credit KES ${formatKes(p.credit)}.`
        : lang === 'sw'
          ? ` Deni KES ${formatKes(p.balance)}.`
          : ` Balance KES ${formatKes(p.balance)}.`;
  return fitSms(
    (name) =>
      lang === 'sw'
        ? `${name}: Tumepokea KES ${formatKes(p.amount)} kwa akaunti ${p.account}. M-Pesa ${ref}.${tail} Asante.`
        : `${name}: KES ${formatKes(p.amount)} received for a/c ${p.account}. M-Pesa ref ${ref}.${tail} Thank you.`,
    brand.utilityName,
  );
}

export function paymentNotConfirmed(
  lang: Language,
  brand: Brand,
  p: { amount: number; account: string; reference: string },
): string {
  return fitSms(
    (name) =>
      lang === 'sw'
        ? `${name}: Hakuna malipo ya M-Pesa ya KES ${formatKes(p.amount)} kwa akaunti ${p.account} yaliyothibitishwa (kumb ${p.reference}). Ukikatwa pesa, risiti itafuata. Kulipa piga ${brand.ussdCode}.`
        : `${name}: No M-Pesa payment of KES ${formatKes(p.amount)} for a/c ${p.account} was confirmed (ref ${p.reference}). If you were charged, a receipt follows. To pay dial ${brand.ussdCode}.`,
    brand.utilityName,
  );
}

export function paymentFailed(
  lang: Language,
  brand: Brand,
  p: { amount: number; account: string; reason: string | null },
): string {
  const why = failureReasonText(p.reason, lang);
  return fitSms(
    (name) =>
      lang === 'sw'
        ? `${name}: Malipo ya KES ${formatKes(p.amount)} kwa akaunti ${p.account} hayakufaulu: ${why}. Kujaribu tena piga ${brand.ussdCode} uchague Lipa bili.`
        : `${name}: Payment of KES ${formatKes(p.amount)} for a/c ${p.account} failed: ${why}. To try again dial ${brand.ussdCode} and choose Pay bill.`,
    brand.utilityName,
  );
}

export function issueConfirmation(
  lang: Language,
  brand: Brand,
  p: { reference: string; category: IssueCategory; account: string },
): string {
  const label = categoryLabel(p.category, lang);
  return fitSms(
    (name) =>
      lang === 'sw'
        ? `${name}: Ripoti ${p.reference} (${label}) ya akaunti ${p.account} imepokelewa. Tutakujulisha. Msaada: ${brand.contact}`
        : `${name}: Report ${p.reference} (${label}) for a/c ${p.account} received. We will keep you updated. Help: ${brand.contact}`,
    brand.utilityName,
  );
}

/** To the operations team, always English. The description is the part that gets shortened. */
export function issueAlert(p: {
  reference: string;
  category: IssueCategory;
  account: string;
  location: string | null;
  description: string | null;
  channel: string;
  /** Reports folded into the issue so far; more than one is said in the alert. */
  reports?: number | undefined;
}): string {
  const where = fitSms((loc) => loc, p.location ?? '', 40) || '-';
  const head = (p.reports ?? 1) > 1 ? `${p.reports} REPORTS` : 'NEW';
  return fitSms(
    (desc) =>
      `${head} ${p.reference} ${categoryLabel(p.category, 'en')}, a/c ${p.account}, ${where} (${p.channel})${desc ? `: ${desc}` : ''}`,
    p.description ?? '',
  );
}

export function issueStatusChanged(
  lang: Language,
  brand: Brand,
  p: { reference: string; status: Exclude<IssueStatus, 'open'> },
): string {
  if (p.status === 'acknowledged') {
    return fitSms(
      (name) =>
        lang === 'sw'
          ? `${name}: Ripoti ${p.reference} imepokelewa na timu yetu na inashughulikiwa. Msaada: ${brand.contact}`
          : `${name}: Report ${p.reference} has been acknowledged and our team is on it. Help: ${brand.contact}`,
      brand.utilityName,
    );
  }
  return fitSms(
    (name) =>
      lang === 'sw'
        ? `${name}: Ripoti ${p.reference} imetatuliwa. Asante kwa kutujulisha. Bado kuna tatizo? Piga ${brand.contact}`
        : `${name}: Report ${p.reference} is resolved. Thank you for telling us. Still a problem? Call ${brand.contact}`,
    brand.utilityName,
  );
}

export type SmsHelpReason = 'format' | 'unknown_account' | 'no_description';

export function smsHelp(
  lang: Language,
  brand: Brand,
  p: { reason: SmsHelpReason; account?: string | undefined },
): string {
  const lead =
    p.reason === 'unknown_account'
      ? lang === 'sw'
        ? `Akaunti ${p.account ?? ''} haipo. `
        : `Account ${p.account ?? ''} not found. `
      : p.reason === 'no_description'
        ? lang === 'sw'
          ? 'Eleza tatizo. '
          : 'Please describe the problem. '
        : '';
  return fitSms(
    (name) =>
      lang === 'sw'
        ? `${name}: ${lead}Kuripoti tatizo tuma AKAUNTI#MAELEZO, mfano 1001#Hakuna maji. Msaada: ${brand.contact}`
        : `${name}: ${lead}To report a problem send ACCOUNT#DESCRIPTION, e.g. 1001#No water since morning. Help: ${brand.contact}`,
    brand.utilityName,
  );
}

export function consumptionStatement(
  lang: Language,
  brand: Brand,
  p: {
    account: string;
    period: string;
    used: number;
    dailyAverage: number;
    lastReading: number | null;
    lastReadingDate: string | null;
    previousPeriod: string;
    previousUse: number | null;
    balance: number | null;
  },
): string {
  const month = periodLabel(p.period, lang).slice(0, 3);
  const prevMonth = periodLabel(p.previousPeriod, lang).slice(0, 3);
  const parts: string[] = [];
  if (lang === 'sw') {
    parts.push(
      `akaunti ${p.account}: ${month} ${formatM3(p.used)} m3` +
        (p.lastReadingDate ? ` hadi ${dayLabel(p.lastReadingDate, lang)}` : '') +
        ` (wastani ${formatM3(p.dailyAverage)} m3/siku).`,
    );
    if (p.previousUse !== null) parts.push(`${prevMonth}: ${formatM3(p.previousUse)} m3.`);
    if (p.lastReading !== null) parts.push(`Mita ${formatM3(p.lastReading)} m3.`);
    if (p.balance !== null) parts.push(`Deni KES ${formatKes(p.balance)}.`);
  } else {
    parts.push(
      `a/c ${p.account}: ${month} use ${formatM3(p.used)} m3` +
        (p.lastReadingDate ? ` to ${dayLabel(p.lastReadingDate, lang)}` : '') +
        ` (avg ${formatM3(p.dailyAverage)} m3/day).`,
    );
    if (p.previousUse !== null) parts.push(`${prevMonth}: ${formatM3(p.previousUse)} m3.`);
    if (p.lastReading !== null) parts.push(`Meter ${formatM3(p.lastReading)} m3.`);
    if (p.balance !== null) parts.push(`Balance KES ${formatKes(p.balance)}.`);
  }
  return fitSms((name) => `${name} ${parts.join(' ')}`, brand.utilityName);
}
