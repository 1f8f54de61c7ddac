// The water service's records, as the domain sees them. Money is in KES (numbers with at most two decimals; the
// stores keep integer cents), volumes in m³, timestamps as ISO-8601 UTC strings.

export type Language = 'en' | 'sw';

export interface Customer {
  id: number;
  /** Stable business key, e.g. `C-0001`; lets imports and the demo seed run twice without duplicates. */
  code: string;
  name: string;
  createdAt: string;
}

export type AccountStatus = 'active' | 'suspended' | 'closed';

export interface Account {
  /** Account number as printed on the bill, e.g. `1001`. */
  number: string;
  customerId: number | null;
  name: string;
  zone: string;
  location: string;
  status: AccountStatus;
  /** Money paid beyond the bills; taken off the next bill. */
  credit: number;
  createdAt: string;
  updatedAt: string;
}

export interface Meter {
  id: string;
  account: string;
  /** Id the monitoring system sends with each reading. */
  sensorId: string;
  status: 'active' | 'removed';
  createdAt: string;
}

export type ReadingSource = 'sensor' | 'manual' | 'estimate' | 'seed';

export interface MeterReading {
  meterId: string;
  /** Cumulative register value in m³. */
  value: number;
  at: string;
  source: ReadingSource;
}

export type BillStatus = 'open' | 'partially_paid' | 'paid';

export interface Bill {
  id: number;
  account: string;
  /** `YYYY-MM`. */
  period: string;
  /** Local dates (`YYYY-MM-DD`), inclusive. */
  periodStart: string;
  periodEnd: string;
  openingReading: number;
  closingReading: number;
  consumption: number;
  /** Charge for the period. */
  amount: number;
  /** Account credit taken off this bill when it was issued. */
  creditApplied: number;
  /** Payments applied to this bill. */
  paid: number;
  balance: number;
  dueDate: string;
  status: BillStatus;
  createdAt: string;
  updatedAt: string;
}

export type PaymentState = 'PENDING' | 'PROCESSING' | 'COMPLETE' | 'FAILED';

export interface Payment {
  id: number;
  /** Ours, sent to the provider as `api_ref`: `PAY-<account>-<yyyymm>-<attempt>`. */
  reference: string;
  account: string;
  billId: number;
  attempt: number;
  phone: string;
  amount: number;
  currency: string;
  provider: string;
  providerId: string | null;
  state: PaymentState;
  /** Amount the provider reported as paid, once COMPLETE. */
  paidAmount: number | null;
  mpesaReference: string | null;
  failureReason: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface PaymentHistoryEntry {
  reference: string;
  fromState: PaymentState;
  toState: PaymentState;
  rawState: string;
  /** False when the event arrived late or twice and changed nothing. */
  applied: boolean;
  providerUpdatedAt: string | null;
  receivedAt: string;
}

export const ISSUE_CATEGORIES = [
  'no_water',
  'leak',
  'burst_pipe',
  'low_pressure',
  'dirty_water',
  'meter_fault',
  'other',
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];
export const ISSUE_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
export const CHANNELS = ['ussd', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Issue {
  /** `R-000123`. */
  reference: string;
  category: IssueCategory;
  description: string | null;
  account: string;
  location: string | null;
  channel: Channel;
  reporterPhone: string;
  status: IssueStatus;
  inboundId: string | null;
  /** How many reports were folded into this issue (the first one included). */
  reports: number;
  createdAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  updatedAt: string;
}

export interface SmsLogEntry {
  id: number;
  direction: 'in' | 'out';
  /** Outbox key of an outgoing message, so the sender can fill in the provider's answer. */
  outboxKey: string | null;
  providerMessageId: string | null;
  from: string | null;
  to: string;
  text: string;
  /** in: `received`; out: `queued`, `sent`, `failed`. */
  status: string;
  /** The provider's delivery report status (`Success`, `Failed`, ...). */
  deliveryStatus: string | null;
  failureReason: string | null;
  issueReference: string | null;
  paymentReference: string | null;
  createdAt: string;
  updatedAt: string;
}
