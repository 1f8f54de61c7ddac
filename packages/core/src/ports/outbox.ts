import type { SmsMessage, SmsResult } from './sms.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

export interface OutboxItem {
  /** Idempotency key: one item per key, ever. */
  key: string;
  message: SmsMessage;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms before which the item is not tried again. */
  nextAttemptAt: number;
  createdAt: number;
  lastError?: string | undefined;
  result?: SmsResult | undefined;
}

/**
 * Durable storage behind the SMS outbox. Memory ships in core; a database implementation (the water service
 * uses SQLite) runs the same contract suite from `@rolax/ussd-core/testing`.
 */
export interface OutboxStore {
  readonly name: string;
  /** Records the message unless the key exists. Returns true when it recorded. */
  add(item: { key: string; message: SmsMessage; createdAt: number }): Promise<boolean>;
  get(key: string): Promise<OutboxItem | null>;
  /**
   * Pending items due at `now`, oldest first, each leased until `now + leaseMs` so that a second worker
   * (or a second node) does not take the same item while the first one is sending it.
   */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxItem[]>;
  markSent(key: string, result: SmsResult, attempts: number): Promise<void>;
  markRetry(key: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  markFailed(key: string, attempts: number, error: string): Promise<void>;
}
