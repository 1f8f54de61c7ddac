// The water service's storage ports: what the domain needs from a database, as interfaces. Every method returns a
// Promise; ../db/sqlite and ../db/postgres implement them, and one contract suite checks both.

import type { SessionStore } from '@rolax/ussd-core';
import type { OutboxStore } from '@rolax/ussd-core/outbox';
import type {
  Account,
  AccountStatus,
  Bill,
  BillStatus,
  Channel,
  Customer,
  Issue,
  IssueCategory,
  IssueStatus,
  Language,
  Meter,
  MeterReading,
  Payment,
  PaymentHistoryEntry,
  PaymentState,
  SmsLogEntry,
} from './model.js';

export interface IssueFilter {
  status?: IssueStatus | undefined;
  category?: IssueCategory | undefined;
  account?: string | undefined;
  channel?: Channel | undefined;
  limit?: number | undefined;
}

export interface CustomerRepository {
  /** Creates the customer or updates the name of the one with this code. */
  upsert(input: { code: string; name: string }): Promise<Customer>;
  get(id: number): Promise<Customer | null>;
  findByPhone(phone: string): Promise<Customer | null>;
  addPhone(customerId: number, phone: string): Promise<void>;
  phones(customerId: number): Promise<string[]>;
}

export interface AccountRepository {
  upsert(input: {
    number: string;
    customerId?: number | null | undefined;
    name: string;
    zone: string;
    location: string;
    status?: AccountStatus | undefined;
  }): Promise<Account>;
  get(number: string): Promise<Account | null>;
  list(filter?: { status?: AccountStatus | undefined }): Promise<Account[]>;
  /** Accounts this phone may act for, by account number. */
  forPhone(phone: string): Promise<Account[]>;
  linkPhone(account: string, phone: string): Promise<void>;
  phones(account: string): Promise<string[]>;
  setCredit(account: string, credit: number): Promise<void>;
}

export interface MeterRepository {
  upsert(input: {
    id: string;
    account: string;
    sensorId: string;
    status?: Meter['status'] | undefined;
  }): Promise<Meter>;
  findBySensorIds(sensorIds: readonly string[]): Promise<Meter[]>;
  forAccount(account: string): Promise<Meter[]>;
}

export interface ReadingRepository {
  /** Inserts in one transaction; a reading whose meter and timestamp exist already is counted as a duplicate. */
  insertMany(readings: readonly MeterReading[]): Promise<{ inserted: number; duplicates: number }>;
  latest(meterId: string): Promise<MeterReading | null>;
  /** Latest reading at or before `at`. */
  latestAtOrBefore(meterId: string, at: string): Promise<MeterReading | null>;
  /** Earliest reading at or after `from` and strictly before `to`. */
  earliestInRange(meterId: string, from: string, to: string): Promise<MeterReading | null>;
  /** Readings with `from <= at < to`, oldest first. */
  range(meterId: string, from: string, to: string): Promise<MeterReading[]>;
}

/** A bill as billing issues it; payments, balance and status follow from it. */
export type NewBill = Omit<Bill, 'id' | 'paid' | 'balance' | 'status' | 'createdAt' | 'updatedAt'>;

export interface BillRepository {
  /** One bill per account and period: returns the existing one with `created: false`. */
  create(input: NewBill): Promise<{ bill: Bill; created: boolean }>;
  get(id: number): Promise<Bill | null>;
  getByPeriod(account: string, period: string): Promise<Bill | null>;
  /** Bills with a balance (open or partially paid), oldest period first. */
  unpaidForAccount(account: string): Promise<Bill[]>;
  latestForAccount(account: string): Promise<Bill | null>;
  list(filter?: {
    account?: string | undefined;
    status?: BillStatus | undefined;
    period?: string | undefined;
    limit?: number | undefined;
  }): Promise<Bill[]>;
  updateBalance(id: number, update: { paid: number; balance: number; status: BillStatus }): Promise<Bill>;
}

/** A payment as recorded before the push; everything else arrives with the provider's events. */
export type NewPayment = Pick<
  Payment,
  'reference' | 'account' | 'billId' | 'attempt' | 'phone' | 'amount' | 'currency' | 'provider'
>;

export interface PaymentUpdate {
  state?: PaymentState | undefined;
  providerId?: string | undefined;
  paidAmount?: number | undefined;
  mpesaReference?: string | undefined;
  failureReason?: string | undefined;
  failureCode?: string | undefined;
  failureMessage?: string | undefined;
  completedAt?: string | undefined;
}

export interface PaymentRepository {
  create(input: NewPayment): Promise<Payment>;
  getByReference(reference: string): Promise<Payment | null>;
  getByProviderId(providerId: string): Promise<Payment | null>;
  /** Payments of the bill still waiting for a final state. */
  activeForBill(billId: number): Promise<Payment[]>;
  /** Highest attempt number used for the bill (0 when none). */
  lastAttempt(billId: number): Promise<number>;
  update(reference: string, update: PaymentUpdate): Promise<Payment>;
  addHistory(entry: Omit<PaymentHistoryEntry, 'receivedAt'> & { receivedAt?: string | undefined }): Promise<void>;
  history(reference: string): Promise<PaymentHistoryEntry[]>;
  list(filter?: {
    state?: PaymentState | undefined;
    account?: string | undefined;
    limit?: number | undefined;
  }): Promise<Payment[]>;
}

/** An issue as reported; its reference, status and timestamps are the repository's. */
export type NewIssue = Pick<
  Issue,
  'category' | 'description' | 'account' | 'location' | 'channel' | 'reporterPhone' | 'inboundId'
>;

export interface IssueRepository {
  /** Takes the next number from the issue sequence and formats it: `R-000123`. */
  nextReference(): Promise<string>;
  create(reference: string, input: NewIssue): Promise<Issue>;
  getByReference(reference: string): Promise<Issue | null>;
  getByInboundId(inboundId: string): Promise<Issue | null>;
  list(filter?: IssueFilter): Promise<Issue[]>;
  updateStatus(reference: string, status: IssueStatus, at: string): Promise<Issue>;
  /** Counts one more report folded into the issue. */
  addReport(reference: string, at: string): Promise<Issue>;
}

/** Every report as it came in, folded or not: what the per-phone and per-account limits count. */
export interface IssueReportLog {
  record(entry: {
    issueReference: string;
    account: string;
    category: IssueCategory;
    phone: string;
    at: string;
  }): Promise<void>;
  /** Reports since `since` (ISO), by phone, or by account and optionally category. */
  countSince(
    filter: { phone: string } | { account: string; category?: IssueCategory | undefined },
    since: string,
  ): Promise<number>;
}

export interface SmsLogRepository {
  record(entry: {
    direction: 'in' | 'out';
    outboxKey?: string | null | undefined;
    providerMessageId?: string | null | undefined;
    from?: string | null | undefined;
    to: string;
    text: string;
    status: string;
    issueReference?: string | null | undefined;
    paymentReference?: string | null | undefined;
    at?: string | undefined;
  }): Promise<number>;
  /** Fills in what the provider answered for an outgoing message, per recipient. */
  markSent(
    outboxKey: string,
    to: string,
    update: { status: string; providerMessageId?: string | undefined; failureReason?: string | undefined },
  ): Promise<void>;
  /** Applies a delivery report; false when no outgoing message has this provider id. */
  applyDeliveryReport(report: {
    providerMessageId: string;
    status: string;
    failureReason?: string | undefined;
  }): Promise<boolean>;
  list(filter?: {
    phone?: string | undefined;
    direction?: 'in' | 'out' | undefined;
    limit?: number | undefined;
  }): Promise<SmsLogEntry[]>;
}

export interface InboundRepository {
  /** Marks an inbound id (incoming SMS id, webhook event key) as handled. True the first time only. */
  markProcessed(kind: string, id: string): Promise<boolean>;
  isProcessed(kind: string, id: string): Promise<boolean>;
}

/**
 * Named leases for the background jobs every node runs on a timer or on request: a node runs a job only while it
 * holds the job's lease, so the nodes do not all do the same work. A lease only saves work: a holder may stall past
 * its lease while another takes over, so each unit of a job is safe to repeat on its own. Expiry is judged by the
 * caller's clock (nodes keep their clocks in sync, as for sessions and the outbox).
 */
export interface JobLeases {
  /** Takes `name` for `holder` for `ttlMs` when it is free, has lapsed, or is `holder`'s already (then extends it). */
  tryAcquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease while `holder` has it; false once another holder took it over or it was released. */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up so another node may take it at once; does nothing unless `holder` has it. */
  release(name: string, holder: string): Promise<void>;
  /** Who holds the lease and until when (ISO), or null when it is free or has lapsed. */
  get(name: string): Promise<{ holder: string; until: string } | null>;
}

export interface PreferenceRepository {
  getLanguage(phone: string): Promise<Language | null>;
  setLanguage(phone: string, language: Language): Promise<void>;
}

export interface Repositories {
  readonly customers: CustomerRepository;
  readonly accounts: AccountRepository;
  readonly meters: MeterRepository;
  readonly readings: ReadingRepository;
  readonly bills: BillRepository;
  readonly payments: PaymentRepository;
  readonly issues: IssueRepository;
  readonly issueReports: IssueReportLog;
  readonly smsLog: SmsLogRepository;
  readonly inbound: InboundRepository;
  readonly preferences: PreferenceRepository;
  readonly jobLeases: JobLeases;
  /** The SMS outbox shares the database, so a message commits together with the change it reports. */
  readonly outbox: OutboxStore;
  /** USSD session envelopes and locks, beside the data they point at. */
  readonly sessions: SessionStore;
  /**
   * Runs `fn` in one transaction: everything it does through `tx` commits together or not at all. A nested call
   * joins the outer transaction (as a savepoint). Keep network calls out of `fn`: the transaction holds the
   * database until it settles.
   */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; for `/healthz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
