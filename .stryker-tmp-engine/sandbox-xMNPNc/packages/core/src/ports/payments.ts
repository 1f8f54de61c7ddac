// @ts-nocheck
import type { SendContext } from './sms.js';

export interface PaymentRequest {
  /** Amount in major units (KES 984.50 is 984.5). */
  amount: number;
  currency: string;
  /** E.164 with `+`. */
  phoneNumber: string;
  /** Our reference, echoed in every event (IntaSend `api_ref`). One per bill and attempt. */
  reference: string;
  narrative: string;
  name?: string | undefined;
  email?: string | undefined;
}

/** Ordered by progress; a final state never moves. `RETRY` is a pending variant. */
export type PaymentState = 'PENDING' | 'PROCESSING' | 'COMPLETE' | 'FAILED';

export type PaymentFailureReason =
  | 'cancelled'
  | 'insufficient_funds'
  | 'wrong_pin'
  | 'unreachable'
  | 'busy'
  | 'expired'
  | 'push_failed'
  | 'unknown';

export interface PaymentRequested {
  /** Provider invoice id (IntaSend `invoice_id`, or the older numeric `id` as a string). */
  providerId: string;
  reference: string;
  state: PaymentState;
}

export interface PaymentEvent {
  providerId: string;
  reference: string;
  state: PaymentState;
  /** The provider's own state word, e.g. `COMPLETED` or `RETRY`. */
  rawState: string;
  amount?: number | undefined;
  currency?: string | undefined;
  /** Payer account, E.164 with `+` when it looks like a phone number. */
  account?: string | undefined;
  /** M-Pesa receipt number, e.g. `SIH1ABC2DE`. */
  providerReference?: string | undefined;
  failure?: { reason: PaymentFailureReason; code?: string | undefined; message?: string | undefined } | undefined;
  /** Provider timestamp of this state, ISO 8601. */
  updatedAt?: string | undefined;
}

export interface PaymentGateway {
  readonly name: string;
  requestPayment(req: PaymentRequest, ctx: SendContext): Promise<PaymentRequested>;
  /** Verifies authenticity and parses; throws UssdError('WEBHOOK_UNAUTHORIZED' | 'INVALID_REQUEST'). */
  parseWebhook(body: unknown, headers?: Record<string, string | string[] | undefined>): PaymentEvent;
  status?(providerId: string, ctx: { signal?: AbortSignal | undefined }): Promise<PaymentEvent>;
}
