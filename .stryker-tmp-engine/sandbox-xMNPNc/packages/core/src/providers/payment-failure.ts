// @ts-nocheck
import type { PaymentFailureReason } from '../ports/payments.js';

const byCode: Record<string, PaymentFailureReason> = {
  '1': 'insufficient_funds',
  '1001': 'busy',
  '1019': 'expired',
  '1025': 'push_failed',
  '9999': 'push_failed',
  '1032': 'cancelled',
  '1037': 'unreachable',
  '2001': 'wrong_pin',
};

// Order matters: the first match wins, and M-Pesa's texts are not consistent across channels.
const byText: ReadonlyArray<readonly [RegExp, PaymentFailureReason]> = [
  [/insufficient|balance/i, 'insufficient_funds'],
  [/cancel/i, 'cancelled'],
  [/initiator information|\bpin\b/i, 'wrong_pin'],
  [/expired/i, 'expired'],
  [/time ?out|timed out|cannot be reached|unreachable|no response/i, 'unreachable'],
  [/busy|ongoing|already in process|in progress/i, 'busy'],
  [/push|could not be sent|unable to (?:send|lock)/i, 'push_failed'],
];

/** Maps M-Pesa's result code, or failing that its text, to a reason a customer message can be chosen from. */
export function mpesaFailureReason(code: string | undefined, text: string | undefined): PaymentFailureReason {
  const known = code === undefined ? undefined : byCode[code.trim()];
  if (known) return known;
  if (text) for (const [pattern, reason] of byText) if (pattern.test(text)) return reason;
  return 'unknown';
}

export type MessageLanguage = 'en' | 'sw';

// Plain ASCII on purpose: one typographic quote would push an SMS or USSD screen to UCS-2.
const messages: Record<PaymentFailureReason, Record<MessageLanguage, string>> = {
  cancelled: { en: 'You cancelled the M-Pesa prompt.', sw: 'Umesitisha ombi la M-Pesa.' },
  insufficient_funds: {
    en: 'Your M-Pesa balance is not enough for this payment.',
    sw: 'Salio lako la M-Pesa halitoshi kwa malipo haya.',
  },
  wrong_pin: { en: 'The M-Pesa PIN entered was wrong.', sw: 'PIN ya M-Pesa uliyoweka si sahihi.' },
  unreachable: {
    en: 'We could not reach your phone. Please try again.',
    sw: 'Hatukuweza kufikia simu yako. Tafadhali jaribu tena.',
  },
  busy: {
    en: 'Your phone is busy with another M-Pesa transaction. Try again shortly.',
    sw: 'Simu yako inashughulikia muamala mwingine wa M-Pesa. Jaribu tena baadaye.',
  },
  expired: {
    en: 'The M-Pesa prompt expired before you answered.',
    sw: 'Ombi la M-Pesa limeisha muda kabla ya kujibu.',
  },
  push_failed: {
    en: 'We could not send the M-Pesa prompt to your phone.',
    sw: 'Hatukuweza kutuma ombi la M-Pesa kwenye simu yako.',
  },
  unknown: { en: 'The M-Pesa payment did not go through.', sw: 'Malipo ya M-Pesa hayakufanikiwa.' },
};

/** A short sentence to show or text to the customer. */
export function paymentFailureMessage(reason: PaymentFailureReason, lang: MessageLanguage = 'en'): string {
  return messages[reason][lang];
}
