// @ts-nocheck
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
