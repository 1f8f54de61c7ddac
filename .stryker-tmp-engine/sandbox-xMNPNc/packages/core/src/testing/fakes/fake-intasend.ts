// @ts-nocheck
import { randomInt, randomUUID } from 'node:crypto';
import {
  type FakeReply,
  type FakeRequest,
  type FakeServerControls,
  fakeHttpServer,
  header,
  postWithRetries,
  withControls,
} from './fake-http-server.js';

export type FakePaymentState = 'PENDING' | 'PROCESSING' | 'COMPLETE' | 'FAILED';

export interface FakeIntaSendOptions {
  /** Default `ISPubKey_test_fake`. */
  publishableKey?: string | undefined;
  /** Default `ISSecretKey_test_fake`. */
  secretKey?: string | undefined;
  /** Echoed in every webhook. Default `fake-webhook-challenge`. */
  challenge?: string | undefined;
  /** Where state changes are POSTed; none are sent without it. */
  webhookUrl?: string | undefined;
  /** The M-Pesa PIN `enterPin` accepts. Default `1234`. */
  correctPin?: string | undefined;
  /** Extra tries of a webhook the app did not acknowledge with 2xx. Default 3, 20 ms apart. */
  webhookRetries?: number | undefined;
  webhookRetryDelayMs?: number | undefined;
  /** Answer STK pushes with the older numeric `invoice.id` instead of `invoice.invoice_id`. */
  legacyInvoiceIds?: boolean | undefined;
  /** The `host` field of webhooks. Default `https://sandbox.intasend.com`. */
  host?: string | undefined;
}

export interface FakePayment {
  /** The STK push id (a UUID). */
  id: string;
  invoiceId: string;
  /** Set when `legacyInvoiceIds` is on. */
  numericId?: number | undefined;
  apiRef: string;
  amount: number;
  currency: string;
  /** As IntaSend keeps it: digits, no `+`. */
  phone: string;
  narrative: string;
  name: string;
  email: string;
  state: FakePaymentState;
  mpesaReference: string | null;
  failedCode: string | null;
  failedReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** Every webhook body built for this payment, oldest first. */
  events: Record<string, unknown>[];
}

export interface FakeWebhookDelivery {
  invoiceId: string;
  state: string;
  challenge: string;
  /** What the app answered to each try. */
  answers: Array<number | 'error'>;
}

export interface WebhookFaults {
  /** Each event is delivered this many extra times. */
  duplicates?: number | undefined;
  /** The events of one customer action are delivered newest first (COMPLETE before PROCESSING). */
  outOfOrder?: boolean | undefined;
  /** Sends this instead of the configured challenge. */
  challenge?: string | undefined;
}

export interface FakeIntaSend extends FakeServerControls {
  readonly publishableKey: string;
  readonly secretKey: string;
  readonly challenge: string;
  /** Payments, newest first. */
  readonly payments: FakePayment[];
  /** Prompts waiting on a phone (optionally one phone, with or without `+`), newest first. */
  pending(phone?: string): FakePayment[];
  /** By invoice id, numeric id or api_ref (the newest one for a reused api_ref). */
  find(idOrRef: string): FakePayment | undefined;
  /** The customer types a PIN: the right one completes the payment, a wrong one fails it with 2001. */
  enterPin(idOrRef: string, pin?: string): Promise<FakePayment>;
  /** The customer dismisses the prompt: FAILED 1032. */
  cancel(idOrRef: string): Promise<FakePayment>;
  /** The phone never answers: FAILED 1037. */
  timeout(idOrRef: string): Promise<FakePayment>;
  /** Not enough M-Pesa balance: FAILED 1. */
  insufficient(idOrRef: string): Promise<FakePayment>;
  /** Any other M-Pesa failure. */
  fail(idOrRef: string, code: string, reason: string): Promise<FakePayment>;
  /** Replays recorded webhooks (all, or those in the given states, in the given order) as IntaSend's retries do. */
  redeliver(idOrRef: string, states?: FakePaymentState[]): Promise<void>;
  /** Changes how the next webhooks are delivered; `{}` restores normal delivery. */
  webhookFaults(faults: WebhookFaults): void;
  setWebhookUrl(url: string | undefined): void;
  /** Every webhook delivery, newest first. */
  readonly webhookDeliveries: FakeWebhookDelivery[];
  reset(): void;
}

const json = (status: number, body: unknown): FakeReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const detail = (status: number, text: string) => json(status, { detail: text });
const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const alnum = `${letters}0123456789`;
const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[randomInt(chars.length)]).join('');

/**
 * IntaSend's M-Pesa collection API over real HTTP, with the customer's phone modelled: a push stays PENDING until
 * the test (or a simulator) enters a PIN, cancels or lets it time out; each change is POSTed as a webhook.
 */
export function fakeIntaSend(options: FakeIntaSendOptions = {}): FakeIntaSend {
  const publishableKey = options.publishableKey ?? 'ISPubKey_test_fake';
  const secretKey = options.secretKey ?? 'ISSecretKey_test_fake';
  const challenge = options.challenge ?? 'fake-webhook-challenge';
  const correctPin = options.correctPin ?? '1234';
  const payments: FakePayment[] = [];
  const webhookDeliveries: FakeWebhookDelivery[] = [];
  let webhookUrl = options.webhookUrl;
  let faults: WebhookFaults = {};
  let numericIds = 1000;

  const invoiceJson = (p: FakePayment) => ({
    ...(p.numericId !== undefined ? { id: p.numericId } : { invoice_id: p.invoiceId }),
    state: p.state,
    provider: 'M-PESA',
    charges: '0.00',
    net_amount: p.amount.toFixed(2),
    currency: p.currency,
    value: p.amount.toFixed(2),
    account: p.phone,
    api_ref: p.apiRef,
    mpesa_reference: p.mpesaReference,
    failed_reason: p.failedReason,
    failed_code: p.failedCode,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  });

  const webhookJson = (p: FakePayment) => ({
    invoice_id: p.invoiceId,
    state: p.state,
    provider: 'M-PESA',
    charges: '0.00',
    net_amount: p.amount.toFixed(2),
    currency: p.currency,
    value: p.amount.toFixed(2),
    account: p.phone,
    api_ref: p.apiRef,
    mpesa_reference: p.mpesaReference,
    host: options.host ?? 'https://sandbox.intasend.com',
    failed_reason: p.failedReason,
    failed_code: p.failedCode,
    failed_code_link: p.failedCode ? `https://intasend.com/troubleshooting/mpesa/${p.failedCode}` : null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    challenge,
  });

  const authorized = (req: FakeRequest): FakeReply | undefined => {
    const auth = header(req.headers, 'authorization');
    if (!auth) return detail(401, 'Authentication credentials were not provided.');
    if (auth !== `Bearer ${secretKey}`) return detail(401, 'Invalid token.');
    return undefined;
  };

  const stkPush = (body: Record<string, unknown>): FakeReply => {
    if (body.public_key !== publishableKey) return detail(400, 'Invalid public key.');
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
      return detail(400, 'amount: A valid positive number is required.');
    }
    const phone = body.phone_number;
    if (typeof phone !== 'string' || !/^\d{9,15}$/.test(phone)) {
      return detail(400, 'phone_number: Enter a valid phone number, digits only, e.g. 254711000111.');
    }
    if (body.currency !== 'KES') return detail(400, 'currency: Only KES is supported for M-PESA.');
    if (body.method !== 'M-PESA') return detail(400, 'method: Only M-PESA is supported.');
    const apiRef = typeof body.api_ref === 'string' ? body.api_ref : '';
    // A repeated push for a prompt still on the phone returns that prompt, so a client retry after a timeout
    // does not put a second prompt on the customer's phone.
    const open = apiRef
      ? payments.find((p) => p.apiRef === apiRef && (p.state === 'PENDING' || p.state === 'PROCESSING'))
      : undefined;
    const payment = open ?? create(body, apiRef, phone, amount);
    return json(201, {
      id: payment.id,
      invoice: invoiceJson(payment),
      customer: { customer_id: pick(alnum, 7), phone_number: payment.phone, email: payment.email },
      payment_link: null,
      customer_comment: null,
      refundable: false,
      created_at: payment.createdAt,
      updated_at: payment.updatedAt,
    });
  };

  const create = (body: Record<string, unknown>, apiRef: string, phone: string, amount: number): FakePayment => {
    const now = new Date().toISOString();
    const payment: FakePayment = {
      id: randomUUID(),
      invoiceId: pick(alnum, 7),
      numericId: options.legacyInvoiceIds ? numericIds++ : undefined,
      apiRef,
      amount,
      currency: 'KES',
      phone,
      narrative: typeof body.narrative === 'string' ? body.narrative : '',
      name: typeof body.name === 'string' ? body.name : '',
      email: typeof body.email === 'string' ? body.email : '',
      state: 'PENDING',
      mpesaReference: null,
      failedCode: null,
      failedReason: null,
      createdAt: now,
      updatedAt: now,
      events: [],
    };
    payments.unshift(payment);
    return payment;
  };

  const status = (body: Record<string, unknown>): FakeReply => {
    if (body.public_key !== publishableKey) return detail(400, 'Invalid public key.');
    const id = typeof body.invoice_id === 'string' ? body.invoice_id : '';
    const payment = payments.find((p) => p.invoiceId === id || String(p.numericId) === id);
    if (!payment) return detail(404, 'Not found.');
    return json(200, {
      invoice: invoiceJson(payment),
      meta: { id: payment.id, customer: { phone_number: payment.phone, email: payment.email } },
    });
  };

  const route = (req: FakeRequest): FakeReply => {
    const path = req.path.split('?')[0];
    if (req.method !== 'POST') return detail(405, `Method "${req.method}" not allowed.`);
    if (path !== '/api/v1/payment/mpesa-stk-push/' && path !== '/api/v1/payment/status/') {
      return detail(404, 'Not found.');
    }
    const denied = authorized(req);
    if (denied) return denied;
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return detail(400, 'JSON parse error');
    }
    if (!body || typeof body !== 'object') return detail(400, 'JSON parse error');
    return path === '/api/v1/payment/status/'
      ? status(body as Record<string, unknown>)
      : stkPush(body as Record<string, unknown>);
  };

  const http = fakeHttpServer({
    name: 'IntaSend',
    route,
    failure: (s) => detail(s, s === 429 ? 'Request was throttled.' : 'A server error occurred.'),
  });

  const find = (idOrRef: string) =>
    payments.find((p) => p.invoiceId === idOrRef || String(p.numericId) === idOrRef || p.id === idOrRef) ??
    payments.find((p) => p.apiRef === idOrRef);

  const waiting = (idOrRef: string): FakePayment => {
    const payment = find(idOrRef);
    if (!payment) throw new Error(`IntaSend fake: no payment ${idOrRef}`);
    if (payment.state !== 'PENDING') throw new Error(`IntaSend fake: payment ${idOrRef} is ${payment.state}`);
    return payment;
  };

  const move = (p: FakePayment, state: FakePaymentState, change: Partial<FakePayment> = {}) => {
    Object.assign(p, change, { state, updatedAt: new Date().toISOString() });
    const event = webhookJson(p);
    p.events.push(event);
    return event;
  };

  const deliver = async (events: Record<string, unknown>[]) => {
    if (!webhookUrl) return;
    const ordered = faults.outOfOrder ? [...events].reverse() : events;
    for (const event of ordered) {
      for (let copy = 0; copy <= (faults.duplicates ?? 0); copy++) {
        const sent = faults.challenge === undefined ? event : { ...event, challenge: faults.challenge };
        const delivery: FakeWebhookDelivery = {
          invoiceId: String(sent.invoice_id),
          state: String(sent.state),
          challenge: String(sent.challenge),
          answers: [],
        };
        webhookDeliveries.unshift(delivery);
        await postWithRetries(
          webhookUrl,
          JSON.stringify(sent),
          'application/json',
          options.webhookRetries ?? 3,
          options.webhookRetryDelayMs ?? 20,
          (answer) => delivery.answers.push(answer),
        );
      }
    }
  };

  // The outcome is decided at once; webhooks go out in the background and the promise waits for them.
  const act = async (payment: FakePayment, events: Record<string, unknown>[]) => {
    const delivery = deliver(events);
    http.background(delivery);
    await delivery;
    return payment;
  };

  const failWith = async (idOrRef: string, code: string, reason: string) => {
    const p = waiting(idOrRef);
    return act(p, [move(p, 'FAILED', { failedCode: code, failedReason: reason })]);
  };

  return withControls(http, {
    publishableKey,
    secretKey,
    challenge,
    get payments() {
      return payments;
    },
    pending(phone) {
      const digits = phone?.replace(/^\+/, '');
      return payments.filter((p) => p.state === 'PENDING' && (digits === undefined || p.phone === digits));
    },
    find,
    async enterPin(idOrRef, pin = correctPin) {
      const p = waiting(idOrRef);
      if (pin !== correctPin) {
        return act(p, [
          move(p, 'FAILED', { failedCode: '2001', failedReason: 'The initiator information is invalid.' }),
        ]);
      }
      const processing = move(p, 'PROCESSING');
      const complete = move(p, 'COMPLETE', { mpesaReference: `S${pick(letters, 2)}${pick(alnum, 7)}` });
      return act(p, [processing, complete]);
    },
    cancel: (idOrRef) => failWith(idOrRef, '1032', 'Request cancelled by user'),
    timeout: (idOrRef) => failWith(idOrRef, '1037', 'DS timeout user cannot be reached'),
    insufficient: (idOrRef) => failWith(idOrRef, '1', 'The balance is insufficient for the transaction.'),
    fail: failWith,
    async redeliver(idOrRef, states) {
      const payment = find(idOrRef);
      if (!payment) throw new Error(`IntaSend fake: no payment ${idOrRef}`);
      const events = states
        ? states.flatMap((s) => payment.events.filter((e) => e.state === s).slice(-1))
        : payment.events;
      const saved = faults;
      faults = { ...faults, outOfOrder: false };
      try {
        await act(payment, events);
      } finally {
        faults = saved;
      }
    },
    webhookFaults(next) {
      faults = { ...next };
    },
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    get webhookDeliveries() {
      return webhookDeliveries;
    },
    reset() {
      payments.length = 0;
      webhookDeliveries.length = 0;
      faults = {};
    },
  });
}
