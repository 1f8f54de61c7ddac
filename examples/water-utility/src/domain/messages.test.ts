import { describe, expect, it } from 'vitest';
import {
  type Brand,
  categoryLabel,
  consumptionStatement,
  dayLabel,
  failureReasonText,
  issueAlert,
  issueConfirmation,
  issueStatusChanged,
  paymentFailed,
  paymentNotConfirmed,
  paymentReceipt,
  periodLabel,
  smsHelp,
} from './messages.js';
import { ISSUE_CATEGORIES, type IssueCategory, type Language } from './model.js';
import { fitSms, gsmLength, SMS_LIMIT, toGsm7 } from './sms-text.js';

const brand: Brand = { utilityName: 'rolax Water', contact: '0800 720 000', ussdCode: '*384*1234#' };
const brands: Brand[] = [
  brand,
  // The longest values the configuration accepts.
  {
    utilityName: 'Nairobi Peri-Urban Water Servs',
    contact: '+254 700 000 000 / 0800 7200',
    ussdCode: '*384*12345*99#',
  },
];
const reasons = [
  'cancelled',
  'insufficient_funds',
  'wrong_pin',
  'unreachable',
  'busy',
  'expired',
  'push_failed',
  'unknown',
  null,
];
const longText = 'Maji yanavuja karibu na lango “kubwa” – tafadhali njooni haraka 🙏 '.repeat(6);

function all(lang: Language, brand: Brand): string[] {
  const out = [
    paymentReceipt(lang, brand, {
      amount: 149_999.5,
      account: '1001',
      mpesaReference: 'SIH1ABC2DE',
      balance: 123_456.78,
      credit: 0,
    }),
    paymentReceipt(lang, brand, { amount: 150_000, account: '1001', mpesaReference: null, balance: 0, credit: 99_999 }),
    ...reasons.map((reason) => paymentFailed(lang, brand, { amount: 150_000, account: '100100', reason })),
    ...ISSUE_CATEGORIES.map((category) =>
      issueConfirmation(lang, brand, { reference: 'R-1234567', category, account: '100100' }),
    ),
    issueStatusChanged(lang, brand, { reference: 'R-000123', status: 'acknowledged' }),
    issueStatusChanged(lang, brand, { reference: 'R-000123', status: 'resolved' }),
    smsHelp(lang, brand, { reason: 'format' }),
    smsHelp(lang, brand, { reason: 'no_description', account: '1001' }),
    smsHelp(lang, brand, { reason: 'unknown_account', account: '123456789012' }),
    consumptionStatement(lang, brand, {
      account: '100100',
      period: '2026-11',
      used: 1234.56,
      dailyAverage: 41.2,
      lastReading: 123_456.7,
      lastReadingDate: '2026-11-27',
      previousPeriod: '2026-10',
      previousUse: 1300.4,
      balance: 149_999.99,
    }),
  ];
  return out;
}

describe('SMS texts', () => {
  for (const lang of ['en', 'sw'] as const) {
    for (const [i, brand] of brands.entries()) {
      it(`fit one GSM-7 SMS (${lang}, brand ${i})`, () => {
        for (const text of all(lang, brand)) {
          const septets = gsmLength(text);
          expect(septets, text).not.toBeNull();
          expect(septets, text).toBeLessThanOrEqual(160);
          expect(text).not.toMatch(/[\u2018\u2019\u201c\u201d\u2013\u2014]/);
        }
      });
    }
  }

  it('shortens a long description in the alert and keeps it GSM-7', () => {
    const alert = issueAlert({
      reference: 'R-000123',
      category: 'leak',
      account: '1001',
      location: 'Kahawa West, Mwihoko Rd, House 14, behind the big blue water tank near the church',
      description: longText,
      channel: 'sms',
    });
    expect(gsmLength(alert)).toBeLessThanOrEqual(160);
    expect(alert).toMatch(/^NEW R-000123 Leak, a\/c 1001, Kahawa West/);
    expect(alert).toContain('"kubwa" - tafadhali');
    expect(alert.endsWith('...')).toBe(true);
  });

  it('reads the same in a short case', () => {
    expect(
      issueAlert({
        reference: 'R-000001',
        category: 'no_water',
        account: '1001',
        location: null,
        description: null,
        channel: 'ussd',
      }),
    ).toBe('NEW R-000001 No water, a/c 1001, - (ussd)');
    expect(
      paymentReceipt('en', brand, {
        amount: 984,
        account: '1001',
        mpesaReference: 'SIH1ABC2DE',
        balance: 0,
        credit: 0,
      }),
    ).toBe('rolax Water: KES 984 received for a/c 1001. M-Pesa ref SIH1ABC2DE. Balance KES 0. Thank you.');
  });

  it('normalises and measures', () => {
    expect(toGsm7('“Hi” – it’s 5m³ 😀')).toBe('"Hi" - it\'s 5m3');
    expect(gsmLength('a{b}')).toBe(6);
    expect(gsmLength('ç')).toBeNull();
    expect(fitSms((x) => `abc ${x}`, 'x'.repeat(200), 20)).toBe(`abc ${'x'.repeat(13)}...`);
  });
});

describe('labels', () => {
  it.each([
    ['no_water', 'No water', 'Hakuna maji'],
    ['leak', 'Leak', 'Uvujaji'],
    ['burst_pipe', 'Burst pipe', 'Bomba limepasuka'],
    ['low_pressure', 'Low pressure', 'Presha ndogo'],
    ['dirty_water', 'Dirty water', 'Maji machafu'],
    ['meter_fault', 'Meter fault', 'Hitilafu ya mita'],
    ['other', 'Other', 'Mengineyo'],
  ] as [IssueCategory, string, string][])('category %s', (category, en, sw) => {
    expect(categoryLabel(category, 'en')).toBe(en);
    expect(categoryLabel(category, 'sw')).toBe(sw);
  });

  it.each([
    ['cancelled', 'the request was cancelled', 'ombi lilighairiwa'],
    ['insufficient_funds', 'not enough M-Pesa balance', 'salio la M-Pesa halitoshi'],
    ['wrong_pin', 'wrong M-Pesa PIN', 'PIN ya M-Pesa si sahihi'],
    ['unreachable', 'your phone could not be reached', 'simu yako haikupatikana'],
    ['busy', 'another M-Pesa payment was in progress', 'malipo mengine ya M-Pesa yalikuwa yakiendelea'],
    ['expired', 'the request timed out', 'muda wa ombi uliisha'],
    ['push_failed', 'the M-Pesa request could not be sent', 'ombi la M-Pesa halikutumwa'],
    ['unknown', 'M-Pesa did not complete it', 'M-Pesa haikuyakamilisha'],
    ['no_such_reason', 'M-Pesa did not complete it', 'M-Pesa haikuyakamilisha'],
    [null, 'M-Pesa did not complete it', 'M-Pesa haikuyakamilisha'],
  ])('failure reason %s', (reason, en, sw) => {
    expect(failureReasonText(reason, 'en')).toBe(en);
    expect(failureReasonText(reason, 'sw')).toBe(sw);
  });

  it('names months in each language, and shows an unknown month as its number', () => {
    const en = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) =>
      periodLabel(`2026-${m}`, 'en'),
    );
    expect(en).toEqual([
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
      'Apr 2026',
      'May 2026',
      'Jun 2026',
      'Jul 2026',
      'Aug 2026',
      'Sep 2026',
      'Oct 2026',
      'Nov 2026',
      'Dec 2026',
    ]);
    const sw = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) =>
      periodLabel(`2027-${m}`, 'sw'),
    );
    expect(sw).toEqual([
      'Jan 2027',
      'Feb 2027',
      'Mac 2027',
      'Apr 2027',
      'Mei 2027',
      'Jun 2027',
      'Jul 2027',
      'Ago 2027',
      'Sep 2027',
      'Okt 2027',
      'Nov 2027',
      'Des 2027',
    ]);
    expect(periodLabel('2026-13', 'en')).toBe('13 2026');
    expect(dayLabel('2026-12-01', 'sw')).toBe('1 Des');
    expect(dayLabel('2026-01-31', 'en')).toBe('31 Jan');
    expect(dayLabel('2026-00-05', 'en')).toBe('5 00');
  });
});

describe('payment texts', () => {
  const receipt = { amount: 1234.5, account: '1001', mpesaReference: 'SIH1', balance: 100, credit: 0 };

  it('receipt with the balance, the credit, or neither', () => {
    expect(paymentReceipt('en', brand, receipt)).toBe(
      'rolax Water: KES 1,234.50 received for a/c 1001. M-Pesa ref SIH1. Balance KES 100. Thank you.',
    );
    expect(paymentReceipt('sw', brand, receipt)).toBe(
      'rolax Water: Tumepokea KES 1,234.50 kwa akaunti 1001. M-Pesa SIH1. Deni KES 100. Asante.',
    );
    expect(paymentReceipt('en', brand, { ...receipt, balance: 0, credit: 0.5 })).toBe(
      'rolax Water: KES 1,234.50 received for a/c 1001. M-Pesa ref SIH1. Credit KES 0.50. Thank you.',
    );
    expect(paymentReceipt('sw', brand, { ...receipt, balance: 0, credit: 16 })).toBe(
      'rolax Water: Tumepokea KES 1,234.50 kwa akaunti 1001. M-Pesa SIH1. Salio la ziada KES 16. Asante.',
    );
    expect(paymentReceipt('sw', brand, { ...receipt, mpesaReference: null, balance: null, credit: 16 })).toBe(
      'rolax Water: Tumepokea KES 1,234.50 kwa akaunti 1001. M-Pesa -. Asante.',
    );
  });

  it('not confirmed', () => {
    const p = { amount: 984, account: '1001', reference: 'PAY-1001-202610-1' };
    expect(paymentNotConfirmed('en', brand, p)).toBe(
      'rolax Water: No M-Pesa payment of KES 984 for a/c 1001 was confirmed (ref PAY-1001-202610-1). If you were charged, a receipt follows. To pay dial *384*1234#.',
    );
    // 164 characters with the whole name: the name is what gets shortened.
    expect(paymentNotConfirmed('sw', brand, p)).toBe(
      'rola...: Hakuna malipo ya M-Pesa ya KES 984 kwa akaunti 1001 yaliyothibitishwa (kumb PAY-1001-202610-1). Ukikatwa pesa, risiti itafuata. Kulipa piga *384*1234#.',
    );
  });

  it('failed', () => {
    const p = { amount: 984, account: '1001', reason: 'wrong_pin' };
    expect(paymentFailed('en', brand, p)).toBe(
      'rolax Water: Payment of KES 984 for a/c 1001 failed: wrong M-Pesa PIN. To try again dial *384*1234# and choose Pay bill.',
    );
    expect(paymentFailed('sw', brand, p)).toBe(
      'rolax Water: Malipo ya KES 984 kwa akaunti 1001 hayakufaulu: PIN ya M-Pesa si sahihi. Kujaribu tena piga *384*1234# uchague Lipa bili.',
    );
  });
});

describe('issue texts', () => {
  it('confirmation', () => {
    const p = { reference: 'R-000001', category: 'leak' as const, account: '1001' };
    expect(issueConfirmation('en', brand, p)).toBe(
      'rolax Water: Report R-000001 (Leak) for a/c 1001 received. We will keep you updated. Help: 0800 720 000',
    );
    expect(issueConfirmation('sw', brand, p)).toBe(
      'rolax Water: Ripoti R-000001 (Uvujaji) ya akaunti 1001 imepokelewa. Tutakujulisha. Msaada: 0800 720 000',
    );
  });

  it('status changes', () => {
    expect(issueStatusChanged('en', brand, { reference: 'R-000001', status: 'acknowledged' })).toBe(
      'rolax Water: Report R-000001 has been acknowledged and our team is on it. Help: 0800 720 000',
    );
    expect(issueStatusChanged('en', brand, { reference: 'R-000001', status: 'resolved' })).toBe(
      'rolax Water: Report R-000001 is resolved. Thank you for telling us. Still a problem? Call 0800 720 000',
    );
    expect(issueStatusChanged('sw', brand, { reference: 'R-000001', status: 'resolved' })).toBe(
      'rolax Water: Ripoti R-000001 imetatuliwa. Asante kwa kutujulisha. Bado kuna tatizo? Piga 0800 720 000',
    );
  });

  it('alert: the number of reports, a long location cut to 40, and no colon without a description', () => {
    const base = { reference: 'R-000007', category: 'burst_pipe' as const, account: '1001', channel: 'sms' };
    expect(issueAlert({ ...base, location: 'Gate', description: 'Flooding', reports: 1 })).toBe(
      'NEW R-000007 Burst pipe, a/c 1001, Gate (sms): Flooding',
    );
    expect(issueAlert({ ...base, location: 'Gate', description: '', reports: 3 })).toBe(
      '3 REPORTS R-000007 Burst pipe, a/c 1001, Gate (sms)',
    );
    expect(
      issueAlert({ ...base, location: 'Kahawa West, Mwihoko Road, House 14, behind the tank', description: null }),
    ).toBe('NEW R-000007 Burst pipe, a/c 1001, Kahawa West, Mwihoko Road, House 14,... (sms)');
  });
});

describe('help texts', () => {
  it('for each reason, in both languages', () => {
    expect(smsHelp('en', brand, { reason: 'format' })).toBe(
      'rolax Water: To report a problem send ACCOUNT#DESCRIPTION, e.g. 1001#No water since morning. Help: 0800 720 000',
    );
    expect(smsHelp('sw', brand, { reason: 'format' })).toBe(
      'rolax Water: Kuripoti tatizo tuma AKAUNTI#MAELEZO, mfano 1001#Hakuna maji. Msaada: 0800 720 000',
    );
    expect(smsHelp('en', brand, { reason: 'unknown_account', account: '9999' })).toBe(
      'rolax Water: Account 9999 not found. To report a problem send ACCOUNT#DESCRIPTION, e.g. 1001#No water since morning. Help: 0800 720 000',
    );
    expect(smsHelp('sw', brand, { reason: 'unknown_account', account: '9999' })).toBe(
      'rolax Water: Akaunti 9999 haipo. Kuripoti tatizo tuma AKAUNTI#MAELEZO, mfano 1001#Hakuna maji. Msaada: 0800 720 000',
    );
    expect(smsHelp('en', brand, { reason: 'unknown_account' })).toBe(
      'rolax Water: Account not found. To report a problem send ACCOUNT#DESCRIPTION, e.g. 1001#No water since morning. Help: 0800 720 000',
    );
    expect(smsHelp('sw', brand, { reason: 'no_description' })).toBe(
      'rolax Water: Eleza tatizo. Kuripoti tatizo tuma AKAUNTI#MAELEZO, mfano 1001#Hakuna maji. Msaada: 0800 720 000',
    );
  });
});

describe('consumption statement', () => {
  const full = {
    account: '1001',
    period: '2026-01',
    used: 7.34,
    dailyAverage: 0.45,
    lastReading: 117.3,
    lastReadingDate: '2026-01-19',
    previousPeriod: '2025-12',
    previousUse: 10,
    balance: 932.5,
  };

  it('with every part, across a year boundary', () => {
    expect(consumptionStatement('en', brand, full)).toBe(
      'rolax Water a/c 1001: Jan use 7.3 m3 to 19 Jan (avg 0.5 m3/day). Dec: 10 m3. Meter 117.3 m3. Balance KES 932.50.',
    );
    expect(consumptionStatement('sw', brand, full)).toBe(
      'rolax Water akaunti 1001: Jan 7.3 m3 hadi 19 Jan (wastani 0.5 m3/siku). Des: 10 m3. Mita 117.3 m3. Deni KES 932.50.',
    );
  });

  it('leaves out what it does not know', () => {
    const bare = { ...full, lastReading: null, lastReadingDate: null, previousUse: null, balance: null };
    expect(consumptionStatement('en', brand, bare)).toBe('rolax Water a/c 1001: Jan use 7.3 m3 (avg 0.5 m3/day).');
    expect(consumptionStatement('sw', brand, bare)).toBe('rolax Water akaunti 1001: Jan 7.3 m3 (wastani 0.5 m3/siku).');
  });
});

describe('fitting a text into one SMS', () => {
  it('keeps a text that fits exactly', () => {
    const flex = 'y'.repeat(SMS_LIMIT - 4);
    expect(fitSms((x) => `abc ${x}`, flex)).toBe(`abc ${flex}`);
  });

  it('cuts the flexible part one character at a time, trimming before the dots', () => {
    expect(fitSms((x) => `abc ${x}`, 'one two three', 11)).toBe('abc one...');
    expect(fitSms((x) => `abc ${x}`, 'one two three', 12)).toBe('abc one t...');
  });

  it('drops the flexible part entirely when only that fits', () => {
    expect(fitSms((x) => `abcdef[${x}]`, 'long text', 10)).toBe('abcdef[]');
  });

  it('cuts a template too long by itself at the limit, counting escaped characters as two', () => {
    expect(fitSms(() => 'abcdefghij', '', 5)).toBe('abcde');
    expect(fitSms(() => 'ab{cd', '', 4)).toBe('ab{');
    expect(fitSms(() => 'ab{cd', '', 3)).toBe('ab');
  });

  it('makes text GSM-7: line breaks to spaces, others dropped, spaces collapsed', () => {
    expect(toGsm7(' a\r\nb  c 😀 ')).toBe('a b c');
    expect(gsmLength('abc')).toBe(3);
  });
});
