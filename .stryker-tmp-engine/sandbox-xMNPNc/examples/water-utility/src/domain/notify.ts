// @ts-nocheck
import { createHash } from 'node:crypto';
import type { Repositories } from './ports.js';

export interface QueuedSms {
  /** Outbox idempotency key: the same key is queued once, ever. */
  key: string;
  to: string;
  text: string;
  issueReference?: string | undefined;
  paymentReference?: string | undefined;
}

/**
 * Queues one SMS in the outbox and logs it, inside the caller's transaction so the message commits with the
 * change it reports. Returns false when the key was queued before.
 */
export async function queueSms(tx: Repositories, at: Date, sms: QueuedSms): Promise<boolean> {
  const added = await tx.outbox.add({
    key: sms.key,
    message: { to: [sms.to], text: sms.text },
    createdAt: at.getTime(),
  });
  if (added) {
    await tx.smsLog.record({
      direction: 'out',
      outboxKey: sms.key,
      to: sms.to,
      text: sms.text,
      status: 'queued',
      issueReference: sms.issueReference,
      paymentReference: sms.paymentReference,
      at: at.toISOString(),
    });
  }
  return added;
}

/** The payer's language, English unless the phone chose Swahili. */
export async function languageOf(repos: Repositories, phone: string) {
  return (await repos.preferences.getLanguage(phone)) ?? 'en';
}

/** A phone as it may appear in an outbox key: stable, but not a number anyone can read out of a log line. */
export function phoneKey(phone: string): string {
  return createHash('sha256').update(phone).digest('hex').slice(0, 16);
}
