import { createMenu, type Localized } from '@rolax/ussd-core';
import { z } from 'zod';
import { categoryLabel, dayLabel } from '../domain/messages.js';
import { ISSUE_CATEGORIES, type IssueCategory, type Language } from '../domain/model.js';
import { localDate } from '../domain/periods.js';
import { formatKes } from '../domain/units.js';
import type { AccountRef, MenuServices, UsageView } from './services.js';
import { maskedLocal } from './short-phone.js';
import { fill, type TextKey, t, usageScreen } from './texts.js';

export interface WaterCtx {
  lang: Language;
  accounts: AccountRef[];
  account: string | null;
  intent: 'usage' | 'pay' | 'report' | 'account' | null;
  usage: UsageView | null;
  bill: { balance: number; dueDate: string; period: string } | null;
  credit: number;
  amount: number | null;
  category: IssueCategory | null;
  description: string | null;
  reference: string | null;
  /** The phone is not registered on the account it entered: it may pay a typed amount and report, nothing more. */
  guest: boolean;
  /** The masked phone another payment's M-Pesa prompt waits on. */
  pendingOn: string | null;
}

export interface WaterMenuOptions {
  utilityName: string;
  contact: string;
  /** Smallest and largest amount one M-Pesa push may ask for, KES. */
  minAmount: number;
  maxAmount: number;
  /** Today's date for the overdue notice. Default the system clock. */
  now?: (() => Date) | undefined;
}

export function createWaterMenu(o: WaterMenuOptions) {
  const m = createMenu<WaterCtx, MenuServices>();
  const today = o.now ?? (() => new Date());
  const brand = { utility: o.utilityName, contact: o.contact, min: o.minAmount, max: formatKes(o.maxAmount) };
  /** A fixed text with the brand filled in, in both languages (so lint can measure it). */
  const L = (key: TextKey, values: Record<string, string | number> = {}): Localized => ({
    en: fill(t[key].en, { ...brand, ...values }),
    sw: fill(t[key].sw, { ...brand, ...values }),
  });
  const amountSchema = z.coerce.number().int().min(o.minAmount).max(o.maxAmount);
  const routeIntent = (c: WaterCtx) =>
    ({ usage: 'loadUsage', pay: 'loadBill', report: 'category', account: 'account' })[c.intent ?? 'usage'];
  const intentScreens = ['loadUsage', 'loadBill', 'category', 'account'];
  const toIntent = (intent: WaterCtx['intent']) => () => ({ intent, account: null });
  /** The prompt waits on this phone, or on another phone of the account (named, masked). */
  const pendingScreen = (masked: string, phone: string) =>
    masked === maskedLocal(phone) ? 'payPending' : { next: 'payPendingOther', set: { pendingOn: masked } };

  return m.define({
    id: 'rolax-water',
    version: 2,
    languages: ['en', 'sw'],
    language: (c) => c.lang,
    initialContext: () => ({
      lang: 'en',
      accounts: [],
      account: null,
      intent: null,
      usage: null,
      bill: null,
      credit: 0,
      amount: null,
      category: null,
      description: null,
      reference: null,
      guest: false,
      pendingOn: null,
    }),
    start: 'load',
    screens: {
      load: m.step({
        run: async (_c, { services, session }) => {
          const { lang, accounts } = await services.lookupPhone(session.phoneNumber);
          return { next: accounts.length > 0 ? 'home' : 'noAccount', set: { lang, accounts } };
        },
        targets: ['home', 'noAccount'],
        onError: 'unavailable',
      }),
      noAccount: m.menu({
        text: L('noAccount'),
        options: [
          { label: L('enterAccountOption'), next: 'enterAccount' },
          { label: L('contactOption'), next: 'contact' },
        ],
      }),
      enterAccount: m.prompt({
        text: L('enterAccount'),
        schema: z.string().regex(/^\d{3,10}$/),
        invalid: L('badAccountNumber'),
        save: (_c, account) => ({ account }),
        next: 'findAccount',
        examples: ['1001', '9999'],
      }),
      // A phone with no account of its own acts as a guest for the number it typed (the privacy policy).
      findAccount: m.step({
        run: async (c, { services }) =>
          (await services.findAccount(c.account ?? ''))
            ? { next: 'guestHome', set: { guest: true } }
            : 'unknownAccount',
        targets: ['guestHome', 'unknownAccount'],
        onError: 'unavailable',
      }),
      guestHome: m.menu({
        text: (c) => L('guestHome', { account: c.account ?? '' }),
        options: [
          { label: L('homePay'), next: 'amount', set: () => ({ intent: 'pay' as const }) },
          { label: L('homeReport'), next: 'category', set: () => ({ intent: 'report' as const }) },
          { label: L('homeExit'), next: 'bye' },
        ],
      }),
      unknownAccount: m.end({ text: (c) => L('unknownAccount', { account: c.account ?? '' }) }),
      contact: m.end({ text: L('contact') }),

      home: m.menu({
        text: L('home'),
        options: [
          { label: L('homeUsage'), next: 'pickAccount', set: toIntent('usage') },
          { label: L('homePay'), next: 'pickAccount', set: toIntent('pay') },
          { label: L('homeReport'), next: 'pickAccount', set: toIntent('report') },
          { label: L('homeAccount'), next: 'pickAccount', set: toIntent('account') },
          { label: L('homeExit'), next: 'bye' },
        ],
      }),
      // One account goes straight on; several are listed (paginated by the engine when long).
      pickAccount: m.step({
        run: (c) => {
          const only = c.accounts.length === 1 ? c.accounts[0] : undefined;
          return only
            ? { next: routeIntent({ ...c, account: only.number }), set: { account: only.number } }
            : 'chooseAccount';
        },
        targets: ['chooseAccount', ...intentScreens],
        readOnly: true,
      }),
      chooseAccount: m.menu({
        text: L('chooseAccount'),
        options: (c) =>
          c.accounts.map((a) => ({
            label: `${a.number} ${a.name}`,
            next: routeIntent(c),
            set: () => ({ account: a.number }),
          })),
        targets: intentScreens,
      }),

      loadUsage: m.step({
        run: async (c, { services, session }) => {
          const usage = await services.usage(c.account ?? '', session.phoneNumber);
          return usage ? { next: 'usage', set: { usage } } : 'noReadings';
        },
        targets: ['usage', 'noReadings'],
        onError: 'unavailable',
        readOnly: true,
      }),
      usage: m.menu({
        text: (c) => (c.usage ? usageScreen(c.usage, c.account ?? '', c.lang) : ''),
        // Keys that run a step differ from the key that led to their screen: on gateways without hop numbers a
        // late retry of that key would otherwise run it (`rolax-ussd lint`, rule retried-key).
        options: [{ key: '9', label: L('statementOption'), next: 'sendStatement' }],
      }),
      noReadings: m.end({ text: (c) => L('noReadings', { account: c.account ?? '' }) }),
      sendStatement: m.step({
        run: async (c, { services, session }) => {
          await services.sendStatement(c.account ?? '', session.phoneNumber, c.lang);
          return 'statementSent';
        },
        targets: ['statementSent'],
        onError: 'unavailable',
      }),
      statementSent: m.end({ text: (c) => L('statementSent', { account: c.account ?? '' }) }),

      loadBill: m.step({
        run: async (c, { services, session }) => {
          const bill = await services.billFor(c.account ?? '', session.phoneNumber);
          if (bill.kind === 'pending') return pendingScreen(bill.phone, session.phoneNumber);
          if (bill.kind === 'none') return { next: 'noBill', set: { credit: bill.credit } };
          return { next: 'bill', set: { bill: { balance: bill.balance, dueDate: bill.dueDate, period: bill.period } } };
        },
        targets: ['bill', 'noBill', 'payPending', 'payPendingOther'],
        onError: 'unavailable',
        readOnly: true,
      }),
      noBill: m.end({
        text: (c) => {
          const base = L('noBill', { account: c.account ?? '' }) as Record<Language, string>;
          if (c.credit <= 0) return base;
          const credit = L('credit', { credit: formatKes(c.credit) }) as Record<Language, string>;
          return { en: `${base.en} ${credit.en}`, sw: `${base.sw} ${credit.sw}` };
        },
      }),
      payPending: m.end({ text: (c) => L('payPending', { account: c.account ?? '' }) }),
      payPendingOther: m.end({
        text: (c) => L('payPendingOther', { account: c.account ?? '', phone: c.pendingOn ?? '' }),
      }),
      guestPayRefused: m.end({ text: (c) => L('guestPayRefused', { account: c.account ?? '' }) }),
      bill: m.menu({
        text: (c) =>
          L(c.bill && c.bill.dueDate < localDate(today()) ? 'billOverdue' : 'bill', {
            account: c.account ?? '',
            balance: formatKes(c.bill?.balance ?? 0),
            due: c.bill ? dayLabel(c.bill.dueDate, c.lang) : '-',
          }),
        options: [
          {
            label: (c) => L('payFull', { balance: formatKes(c.bill?.balance ?? 0) }),
            next: 'confirm',
            set: (c) => ({ amount: c.bill?.balance ?? null }),
          },
          { label: L('payOther'), next: 'amount' },
        ],
      }),
      amount: m.prompt({
        text: L('enterAmount'),
        schema: amountSchema,
        invalid: L('badAmount'),
        save: (_c, amount) => ({ amount }),
        next: 'confirm',
        resumable: true,
        examples: ['500'],
      }),
      confirm: m.menu({
        text: (c, session) =>
          L('confirm', {
            amount: formatKes(c.amount ?? 0),
            account: c.account ?? '',
            phone: maskedLocal(session.phoneNumber),
          }),
        options: [
          { label: L('confirmNo'), next: 'cancelled' },
          { label: L('confirmYes'), next: 'pay' },
        ],
        resumable: true,
      }),
      cancelled: m.end({ text: L('cancelled') }),
      pay: m.step({
        run: async (c, { services, session, signal }) => {
          const r = await services.startPayment(
            { account: c.account ?? '', phone: session.phoneNumber, amount: c.amount ?? 0 },
            signal,
          );
          if (r.ok) return { next: 'payStarted', set: { reference: r.reference } };
          // A guest learns neither who is paying nor whether anything is owed.
          if (c.guest && (r.reason === 'pending' || r.reason === 'no_bill')) return 'guestPayRefused';
          if (r.reason === 'pending') return pendingScreen(r.phone, session.phoneNumber);
          if (r.reason === 'no_bill') return 'noBill';
          if (r.reason === 'uncertain') return 'payUncertain';
          return 'payUnavailable';
        },
        targets: [
          'payStarted',
          'payPending',
          'payPendingOther',
          'guestPayRefused',
          'noBill',
          'payUncertain',
          'payUnavailable',
        ],
        onError: 'payUnavailable',
      }),
      payStarted: m.end({
        text: (c) => L('payStarted', { amount: formatKes(c.amount ?? 0), reference: c.reference ?? '' }),
      }),
      payUnavailable: m.end({ text: L('payUnavailable') }),
      payUncertain: m.end({ text: L('payUncertain') }),

      category: m.menu({
        text: L('category'),
        options: ISSUE_CATEGORIES.map((category) => ({
          label: { en: categoryLabel(category, 'en'), sw: categoryLabel(category, 'sw') },
          next: 'describe',
          set: () => ({ category }),
        })),
      }),
      describe: m.prompt({
        text: L('describe'),
        // A lone digit 1-9 is a category key pressed again, not a description.
        schema: z
          .string()
          .trim()
          .min(1)
          .max(120)
          .refine((text) => !/^[1-9]$/.test(text)),
        invalid: L('badDescription'),
        save: (_c, text) => ({ description: text === '0' ? null : text }),
        next: 'report',
        resumable: true,
        examples: ['0', 'Pipe burst near the gate*3'],
        nav: false,
      }),
      report: m.step({
        run: async (c, { services, session, signal }) => {
          const r = await services.reportIssue(
            {
              account: c.account ?? '',
              phone: session.phoneNumber,
              category: c.category ?? 'other',
              description: c.description ?? undefined,
            },
            signal,
          );
          if ('limited' in r) return 'reportLimited';
          return { next: 'reported', set: { reference: r.reference } };
        },
        targets: ['reported', 'reportLimited'],
        onError: 'unavailable',
      }),
      reportLimited: m.end({ text: L('reportLimited') }),
      reported: m.end({ text: (c) => L('reported', { reference: c.reference ?? '', account: c.account ?? '' }) }),

      account: m.menu({
        text: (c) => {
          const a = c.accounts.find((x) => x.number === c.account);
          return L('account', { account: c.account ?? '', name: a?.name ?? '', location: a?.location ?? '' });
        },
        options: [{ key: '9', label: L('languageOption'), next: 'language' }],
      }),
      language: m.menu({
        text: L('languageChoice'),
        options: [
          { label: 'English', next: 'saveLanguage', set: () => ({ lang: 'en' as const }) },
          { label: 'Kiswahili', next: 'saveLanguage', set: () => ({ lang: 'sw' as const }) },
        ],
      }),
      saveLanguage: m.step({
        run: async (c, { services, session }) => {
          await services.setLanguage(session.phoneNumber, c.lang);
          return 'home';
        },
        targets: ['home'],
        onError: 'unavailable',
      }),
      bye: m.end({ text: L('bye') }),
      unavailable: m.end({ text: L('error') }),
    },
  });
}

/** The menu with demo branding, for lint and diagrams: `rolax-ussd lint examples/water-utility/src/ussd/menu.ts`. */
export const menu = createWaterMenu({
  utilityName: 'rolax Water',
  contact: '0800 720 000',
  minAmount: 10,
  maxAmount: 150_000,
});
