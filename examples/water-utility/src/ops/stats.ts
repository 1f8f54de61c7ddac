// What the metrics and readiness checks read from the database, as one small port: each storage backend answers
// it with a few aggregate queries. Counts are totals over the stored records, so they survive restarts.

export interface OutboxStats {
  /** Messages still to send. */
  pending: number;
  /** Messages given up on. */
  failed: number;
  /** Age of the oldest message still to send, in ms (0 when none). */
  oldestPendingMs: number;
  /** Delivery attempts made so far on messages still to send. */
  pendingAttempts: number;
}

export interface ServiceStats {
  /** Runs a trivial query: throws when the database cannot be reached. */
  ping(): Promise<void>;
  /** Applied and known schema versions. */
  schema(): Promise<{ applied: number; expected: number }>;
  paymentsByState(): Promise<{ state: string; count: number }[]>;
  /** Outgoing SMS per recipient by their latest status: the delivery report's, else the send result's. */
  smsByStatus(): Promise<{ status: string; count: number }[]>;
  issuesByCategory(): Promise<{ category: string; channel: string; count: number }[]>;
  outbox(now: number): Promise<OutboxStats>;
}
