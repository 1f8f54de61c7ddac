import { dayLabel, periodLabel } from '../domain/messages.js';
import type { Language } from '../domain/model.js';
import { formatKes, formatM3 } from '../domain/units.js';
import type { UsageView } from './services.js';

/** Every fixed string of the menu in English and Swahili. Plain GSM-7 only: no curly quotes, no dashes. */
export const t = {
  noAccount: {
    en: 'Welcome to {utility}. This number has no water account.',
    sw: 'Karibu {utility}. Nambari hii haina akaunti ya maji.',
  },
  enterAccountOption: { en: 'Enter account number', sw: 'Weka nambari ya akaunti' },
  contactOption: { en: 'Contact us', sw: 'Wasiliana nasi' },
  enterAccount: { en: 'Enter your account number:', sw: 'Weka nambari ya akaunti yako:' },
  badAccountNumber: { en: 'Account numbers are 3 to 10 digits.', sw: 'Nambari ya akaunti ni tarakimu 3 hadi 10.' },
  unknownAccount: {
    en: 'Account {account} was not found. Call {contact} for help.',
    sw: 'Akaunti {account} haikupatikana. Piga {contact} kwa msaada.',
  },
  contact: {
    en: 'Call {contact} or visit any {utility} office.',
    sw: 'Piga {contact} au tembelea ofisi ya {utility}.',
  },
  home: { en: '{utility}', sw: '{utility}' },
  homeUsage: { en: 'Check water use', sw: 'Angalia matumizi' },
  homePay: { en: 'Pay bill', sw: 'Lipa bili' },
  homeReport: { en: 'Report an issue', sw: 'Ripoti tatizo' },
  homeAccount: { en: 'My account', sw: 'Akaunti yangu' },
  homeExit: { en: 'Exit', sw: 'Toka' },
  chooseAccount: { en: 'Choose account:', sw: 'Chagua akaunti:' },
  statementOption: { en: 'Statement by SMS', sw: 'Taarifa kwa SMS' },
  statementSent: {
    en: 'Your statement for account {account} will arrive by SMS shortly.',
    sw: 'Taarifa ya akaunti {account} itakufikia kwa SMS hivi punde.',
  },
  noReadings: {
    en: 'No meter readings for account {account} yet.',
    sw: 'Hakuna usomaji wa mita kwa akaunti {account} bado.',
  },
  noBill: { en: 'Account {account} has no bill to pay.', sw: 'Akaunti {account} haina bili ya kulipa.' },
  credit: { en: 'Credit: KES {credit}.', sw: 'Salio la ziada: KES {credit}.' },
  payPending: {
    en: 'A payment for account {account} is already waiting for your M-Pesa PIN. Check your phone.',
    sw: 'Malipo ya akaunti {account} yanasubiri PIN yako ya M-Pesa. Angalia simu yako.',
  },
  payPendingOther: {
    en: 'A payment for account {account} is already waiting for the M-Pesa PIN on {phone}. Try again later.',
    sw: 'Malipo ya akaunti {account} yanasubiri PIN ya M-Pesa kwenye {phone}. Jaribu tena baadaye.',
  },
  guestHome: { en: '{utility} acc {account}', sw: '{utility} akaunti {account}' },
  guestPayRefused: {
    en: 'Account {account} cannot take an M-Pesa payment now. Call {contact} for help.',
    sw: 'Akaunti {account} haiwezi kulipwa kwa M-Pesa sasa. Piga {contact} kwa msaada.',
  },
  bill: {
    en: 'Acc {account} balance KES {balance}, due {due}.',
    sw: 'Akaunti {account} deni KES {balance}, mwisho {due}.',
  },
  billOverdue: {
    en: 'Acc {account} balance KES {balance}, overdue since {due}.',
    sw: 'Akaunti {account} deni KES {balance}, limechelewa tangu {due}.',
  },
  payFull: { en: 'Pay KES {balance}', sw: 'Lipa KES {balance}' },
  payOther: { en: 'Pay another amount', sw: 'Lipa kiasi kingine' },
  enterAmount: { en: 'Enter amount in KES ({min} to {max}):', sw: 'Weka kiasi kwa KES ({min} hadi {max}):' },
  badAmount: { en: 'Enter a whole amount from {min} to {max}.', sw: 'Weka kiasi kamili kati ya {min} na {max}.' },
  confirm: {
    en: 'Pay KES {amount} for acc {account} with M-Pesa {phone}?',
    sw: 'Lipa KES {amount} kwa akaunti {account} kwa M-Pesa {phone}?',
  },
  confirmYes: { en: 'Confirm', sw: 'Thibitisha' },
  confirmNo: { en: 'Cancel', sw: 'Ghairi' },
  cancelled: { en: 'Payment cancelled. Nothing was charged.', sw: 'Malipo yameghairiwa. Hakuna kilichotozwa.' },
  payStarted: {
    en: 'Enter your M-Pesa PIN on the prompt to pay KES {amount}. We will SMS your receipt. Ref {reference}',
    sw: 'Weka PIN ya M-Pesa kwenye ombi kulipa KES {amount}. Tutakutumia risiti kwa SMS. Kumb {reference}',
  },
  payUnavailable: {
    en: 'M-Pesa cannot be reached right now. Nothing was charged. Please try again later.',
    sw: 'M-Pesa haipatikani sasa. Hakuna kilichotozwa. Tafadhali jaribu tena baadaye.',
  },
  payUncertain: {
    en: 'M-Pesa is slow to answer. If a prompt appears, enter your PIN. If not, try again in 5 minutes.',
    sw: 'M-Pesa inachelewa. Ombi likitokea, weka PIN yako. Lisipotokea, jaribu tena baada ya dakika 5.',
  },
  category: { en: 'What is the problem?', sw: 'Tatizo ni nini?' },
  describe: {
    en: 'Describe it briefly, or send 0 to skip:',
    sw: 'Eleza kwa ufupi, au tuma 0 kuruka:',
  },
  badDescription: { en: 'Describe it in words, under 120 characters.', sw: 'Eleza kwa maneno, isizidi herufi 120.' },
  reportLimited: {
    en: 'You have sent several reports in the last hour. For anything urgent call {contact}.',
    sw: 'Umetuma ripoti kadhaa saa hii. Kwa dharura piga {contact}.',
  },
  reported: {
    en: 'Thank you. Issue {reference} is recorded for account {account}. We will SMS you updates.',
    sw: 'Asante. Tatizo {reference} limerekodiwa kwa akaunti {account}. Tutakutumia taarifa kwa SMS.',
  },
  account: { en: 'Acc {account}: {name}\n{location}', sw: 'Akaunti {account}: {name}\n{location}' },
  languageOption: { en: 'Lugha / Language', sw: 'Lugha / Language' },
  languageChoice: { en: 'Choose language:', sw: 'Chagua lugha:' },
  bye: { en: 'Thank you for using {utility}.', sw: 'Asante kwa kutumia {utility}.' },
  error: {
    en: 'Sorry, the service is busy. Please dial again shortly.',
    sw: 'Samahani, huduma ina shughuli nyingi. Tafadhali piga tena baadaye.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type TextKey = keyof typeof t;

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function usageScreen(u: UsageView, account: string, lang: Language): string {
  const m3 = (v: number) => `${formatM3(v)} m3`;
  const sw = lang === 'sw';
  const acc = `${sw ? 'Akaunti' : 'Acc'} ${account}`;
  const current = `${periodLabel(u.period, lang)}: ${m3(u.used)}`;
  const previous = `${periodLabel(u.previousPeriod, lang)}: ${u.previousUse === null ? '-' : m3(u.previousUse)}`;
  const reading = u.lastReading
    ? sw
      ? `Usomaji wa mwisho ${m3(u.lastReading.value)} ${dayLabel(u.lastReading.date, lang)}`
      : `Last reading ${m3(u.lastReading.value)} on ${dayLabel(u.lastReading.date, lang)}`
    : '';
  // On a period's first day its use is 0 whatever happened: lead with the last full period instead.
  const lines =
    u.periodJustStarted && u.previousUse !== null
      ? [`${acc} ${previous}`, reading, current]
      : [
          `${acc} ${current}`,
          reading,
          previous,
          sw ? `Wastani ${m3(u.dailyAverage)}/siku` : `Daily avg ${m3(u.dailyAverage)}`,
        ];
  return lines.filter(Boolean).join('\n');
}

export { formatKes };
