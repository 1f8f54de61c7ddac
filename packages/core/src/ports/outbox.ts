import type { SmsMessage, SmsRecipientResult, SmsResult } from './sms.js';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** Where a multi-recipient message stands between attempts, so a retry never texts a recipient twice. */
export interface OutboxProgress {
  /** Recipients still to send to; the next attempt goes to these only. */
  remaining: string[];
  /** Results already final (accepted or failed for good). */
  settled: SmsRecipientResult[];
}

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
  /** Set after a partly successful attempt; absent means every recipient is still to be sent to. */
  progress?: OutboxProgress | undefined;
}

/**
 * Durable storage behind the SMS outbox. Memory ships in core; a database implementation (the water service
 * uses SQLite) runs the same contract suite from `@rolax/ussd-core/testing/vitest`.
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
  /** Releases the lease and schedules the next attempt; `progress`, when given, replaces the stored one. */
  markRetry(
    key: string,
    attempts: number,
    nextAttemptAt: number,
    error: string,
    progress?: OutboxProgress,
  ): Promise<void>;
  /** Releases the lease for good; `result`, when given, keeps the per-recipient outcome for inspection. */
  markFailed(key: string, attempts: number, error: string, result?: SmsResult): Promise<void>;
}
