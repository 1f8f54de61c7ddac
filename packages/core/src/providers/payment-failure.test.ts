import { describe, expect, it } from 'vitest';
import type { PaymentFailureReason } from '../ports/payments.js';
import { mpesaFailureReason, paymentFailureMessage } from './payment-failure.js';

describe('mpesaFailureReason', () => {
  it.each([
    ['1', 'insufficient_funds'],
    ['1001', 'busy'],
    ['1019', 'expired'],
    ['1025', 'push_failed'],
    ['9999', 'push_failed'],
    ['1032', 'cancelled'],
    ['1037', 'unreachable'],
    ['2001', 'wrong_pin'],
  ])('maps result code %s to %s', (code, reason) => {
    expect(mpesaFailureReason(code, undefined)).toBe(reason);
  });

  it.each([
    ['The balance is insufficient for the transaction.', 'insufficient_funds'],
    ['Request cancelled by user', 'cancelled'],
    ['The initiator information is invalid.', 'wrong_pin'],
    ['Transaction has expired', 'expired'],
    ['DS timeout user cannot be reached', 'unreachable'],
    ['Unable to lock subscriber, a transaction is already in process for the current subscriber', 'busy'],
    ['Error while sending push request', 'push_failed'],
  ])('maps the text "%s" to %s when the code is missing', (text, reason) => {
    expect(mpesaFailureReason(undefined, text)).toBe(reason);
  });

  it('prefers the code over the text, and falls back to the text for an unknown code', () => {
    expect(mpesaFailureReason('1032', 'The balance is insufficient')).toBe('cancelled');
    expect(mpesaFailureReason('4242', 'Request cancelled by user')).toBe('cancelled');
  });

  it('answers unknown when neither code nor text is recognised', () => {
    expect(mpesaFailureReason('4242', 'Something odd')).toBe('unknown');
    expect(mpesaFailureReason(undefined, undefined)).toBe('unknown');
  });
});

describe('paymentFailureMessage', () => {
  const reasons: PaymentFailureReason[] = [
    'cancelled',
    'insufficient_funds',
    'wrong_pin',
    'unreachable',
    'busy',
    'expired',
    'push_failed',
    'unknown',
  ];

  it('has a distinct English and Swahili sentence for every reason', () => {
    for (const lang of ['en', 'sw'] as const) {
      const texts = reasons.map((r) => paymentFailureMessage(r, lang));
      expect(new Set(texts).size).toBe(reasons.length);
    }
    expect(paymentFailureMessage('cancelled', 'en')).toBe('You cancelled the M-Pesa prompt.');
    expect(paymentFailureMessage('cancelled', 'sw')).not.toBe(paymentFailureMessage('cancelled', 'en'));
  });

  it('stays short and plain ASCII so it fits a screen without switching to UCS-2', () => {
    for (const reason of reasons) {
      for (const lang of ['en', 'sw'] as const) {
        const text = paymentFailureMessage(reason, lang);
        expect(text.length).toBeLessThanOrEqual(80);
        expect(text).toMatch(/^[\x20-\x7e]+$/);
      }
    }
  });
});

describe('mpesaFailureReason on the many wordings of M-Pesa failures', () => {
  it.each([
    ['INSUFFICIENT FUNDS', 'insufficient_funds'],
    ['Low balance on account', 'insufficient_funds'],
    ['CANCELLED', 'cancelled'],
    ['Wrong PIN entered', 'wrong_pin'],
    ['pin', 'wrong_pin'],
    ['Initiator Information is invalid', 'wrong_pin'],
    ['Prompt EXPIRED', 'expired'],
    ['Timeout', 'unreachable'],
    ['Request time out', 'unreachable'],
    ['The request timed out', 'unreachable'],
    ['Subscriber cannot be reached', 'unreachable'],
    ['Phone unreachable', 'unreachable'],
    ['No response from user', 'unreachable'],
    ['System busy', 'busy'],
    ['An ongoing transaction', 'busy'],
    ['Request already in process', 'busy'],
    ['A transaction is in progress', 'busy'],
    ['STK push error', 'push_failed'],
    ['Message could not be sent', 'push_failed'],
    ['Unable to send the prompt', 'push_failed'],
    ['Unable to lock the subscriber', 'push_failed'],
  ])('reads "%s" as %s', (text, reason) => {
    expect(mpesaFailureReason(undefined, text)).toBe(reason);
  });

  it('matches PIN as a whole word only', () => {
    expect(mpesaFailureReason(undefined, 'spinning wheel')).toBe('unknown');
    expect(mpesaFailureReason(undefined, 'pinned')).toBe('unknown');
  });

  it('takes the first matching wording when a text says several things', () => {
    expect(mpesaFailureReason(undefined, 'Cancelled: insufficient balance')).toBe('insufficient_funds');
    expect(mpesaFailureReason(undefined, 'PIN prompt cancelled')).toBe('cancelled');
    expect(mpesaFailureReason(undefined, 'Wrong PIN, prompt expired')).toBe('wrong_pin');
    expect(mpesaFailureReason(undefined, 'Expired after timeout')).toBe('expired');
    expect(mpesaFailureReason(undefined, 'Timed out while busy')).toBe('unreachable');
    expect(mpesaFailureReason(undefined, 'Busy: push not sent')).toBe('busy');
  });

  it('reads a code with spaces around it', () => {
    expect(mpesaFailureReason(' 1032 ', undefined)).toBe('cancelled');
    expect(mpesaFailureReason('2001\n', 'Request cancelled by user')).toBe('wrong_pin');
  });

  it('falls back to the text for an empty code, and answers unknown for an empty text', () => {
    expect(mpesaFailureReason('', 'Request cancelled by user')).toBe('cancelled');
    expect(mpesaFailureReason(undefined, '')).toBe('unknown');
    expect(mpesaFailureReason('0', undefined)).toBe('unknown');
  });
});

describe('paymentFailureMessage wording', () => {
  it('answers in English unless told otherwise', () => {
    expect(paymentFailureMessage('insufficient_funds')).toBe('Your M-Pesa balance is not enough for this payment.');
    expect(paymentFailureMessage('unknown')).toBe('The M-Pesa payment did not go through.');
  });

  it.each([
    ['cancelled', 'You cancelled the M-Pesa prompt.', 'Umesitisha ombi la M-Pesa.'],
    [
      'insufficient_funds',
      'Your M-Pesa balance is not enough for this payment.',
      'Salio lako la M-Pesa halitoshi kwa malipo haya.',
    ],
    ['wrong_pin', 'The M-Pesa PIN entered was wrong.', 'PIN ya M-Pesa uliyoweka si sahihi.'],
    [
      'unreachable',
      'We could not reach your phone. Please try again.',
      'Hatukuweza kufikia simu yako. Tafadhali jaribu tena.',
    ],
    [
      'busy',
      'Your phone is busy with another M-Pesa transaction. Try again shortly.',
      'Simu yako inashughulikia muamala mwingine wa M-Pesa. Jaribu tena baadaye.',
    ],
    ['expired', 'The M-Pesa prompt expired before you answered.', 'Ombi la M-Pesa limeisha muda kabla ya kujibu.'],
    [
      'push_failed',
      'We could not send the M-Pesa prompt to your phone.',
      'Hatukuweza kutuma ombi la M-Pesa kwenye simu yako.',
    ],
    ['unknown', 'The M-Pesa payment did not go through.', 'Malipo ya M-Pesa hayakufanikiwa.'],
  ] as const)('words %s in English and Swahili', (reason, en, sw) => {
    expect(paymentFailureMessage(reason, 'en')).toBe(en);
    expect(paymentFailureMessage(reason, 'sw')).toBe(sw);
  });
});
