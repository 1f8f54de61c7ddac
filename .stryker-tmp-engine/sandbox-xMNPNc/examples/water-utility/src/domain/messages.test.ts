// @ts-nocheck
import { describe, expect, it } from 'vitest';
import {
  type Brand,
  consumptionStatement,
  issueAlert,
  issueConfirmation,
  issueStatusChanged,
  paymentFailed,
  paymentReceipt,
  smsHelp,
} from './messages.js';
import { ISSUE_CATEGORIES, type Language } from './model.js';
import { fitSms, gsmLength, toGsm7 } from './sms-text.js';

const brands: Brand[] = [
  { utilityName: 'rolax Water', contact: '0800 720 000', ussdCode: '*384*1234#' },
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
      paymentReceipt('en', brands[0] as Brand, {
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
