// @ts-nocheck
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { UssdError } from '../errors.js';
import { invalidField } from '../gateways/invalid-field.js';
import type { Logger } from '../ports/logger.js';
import type { PaymentEvent, PaymentGateway, PaymentRequested, PaymentState } from '../ports/payments.js';
import { silentLogger } from '../util/logger.js';
import { maskPhone } from '../util/mask.js';
import { excerpt, type HttpReply, postOnce } from './http.js';
import { mpesaFailureReason } from './payment-failure.js';

export interface IntasendPaymentsOptions {
  publishableKey: string;
  secretKey: string;
  /** Defaults to true for `_test_` keys. */
  sandbox?: boolean | undefined;
  /** Overrides the host, e.g. a local fake: `http://127.0.0.1:4020`. */
  baseUrl?: string | undefined;
  /** The secret set in the IntaSend dashboard; every genuine webhook echoes it as `challenge`. */
  webhookChallenge: string;
  /** Per request. Default 15 s. */
  timeoutMs?: number | undefined;
  dispatcher?: Dispatcher | undefined;
  logger?: Logger | undefined;
}

const provider = 'IntaSend';
const liveUrl = 'https://payment.intasend.com';
const sandboxUrl = 'https://sandbox.intasend.com';

const rawStates = ['PENDING', 'PROCESSING', 'COMPLETE', 'COMPLETED', 'FAILED', 'RETRY'] as const;
type RawState = (typeof rawStates)[number];
const stateOf: Record<RawState, PaymentState> = {
  PENDING: 'PENDING',
  PROCESSING: 'PROCESSING',
  // RETRY means M-Pesa is trying the prompt again: still in flight.
  RETRY: 'PROCESSING',
  COMPLETE: 'COMPLETE',
  COMPLETED: 'COMPLETE',
  FAILED: 'FAILED',
};

const money = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(?:\.\d+)?$/, 'expected a decimal amount')
    .transform(Number),
]);
const text = z.string().nullish();
const code = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : String(v)));

const invoiceFields = {
  invoice_id: z.string().min(1).nullish(),
  // Older responses carry a numeric id instead of invoice_id.
  id: z.union([z.string().min(1), z.number()]).nullish(),
  state: z.enum(rawStates),
  value: money.nullish(),
  currency: text,
  account: text,
  api_ref: text,
  mpesa_reference: text,
  failed_reason: text,
  failed_code: code,
  updated_at: text,
};
type Invoice = z.output<z.ZodObject<typeof invoiceFields>>;
const hasId = (i: { invoice_id?: unknown; id?: unknown }) =>
  (i.invoice_id !== null && i.invoice_id !== undefined) || (i.id !== null && i.id !== undefined);
const idRequired = { message: 'invoice_id is missing', path: ['invoice_id'] };

const invoiceSchema = z.object(invoiceFields).refine(hasId, idRequired);
const stkResponseSchema = z.object({ invoice: invoiceSchema });
const statusResponseSchema = z.object({ invoice: invoiceSchema });
const webhookSchema = z.object({ ...invoiceFields, api_ref: z.string().min(1) }).refine(hasId, idRequired);

/**
 * IntaSend M-Pesa collection. An STK push moves money, so it is never repeated here: after a timeout the outcome
 * is unknown, and the caller retries with the same reference (`api_ref`), which is its idempotency key.
 */
export function intasendPayments(options: IntasendPaymentsOptions): PaymentGateway {
  if (!options.publishableKey) throw new UssdError('CONFIG', `${provider}: publishableKey is required`);
  if (!options.secretKey) throw new UssdError('CONFIG', `${provider}: secretKey is required`);
  if (!options.webhookChallenge) throw new UssdError('CONFIG', `${provider}: webhookChallenge is required`);
  const sandbox = options.sandbox ?? options.publishableKey.includes('_test_');
  const base = (options.baseUrl ?? (sandbox ? sandboxUrl : liveUrl)).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const logger = options.logger ?? silentLogger;
  const expectedChallenge = digest(options.webhookChallenge);
  const headers = {
    Authorization: `Bearer ${options.secretKey}`,
    Accept: 'application/json',
    'Content-Type': 'application/json',
  };
  const post = (path: string, body: unknown, signal: AbortSignal | undefined) =>
    postOnce(provider, {
      url: base + path,
      headers,
      body: JSON.stringify(body),
      timeoutMs,
      signal,
      dispatcher: options.dispatcher,
    });

  return {
    name: 'intasend',

    async requestPayment(req, ctx): Promise<PaymentRequested> {
      if (!Number.isFinite(req.amount) || req.amount <= 0) {
        throw new UssdError('INVALID_REQUEST', 'payment amount must be a positive number', {
          details: { field: 'amount' },
        });
      }
      if (!/^\+?\d{9,15}$/.test(req.phoneNumber)) {
        throw new UssdError('INVALID_REQUEST', 'payment phoneNumber must be E.164', {
          details: { field: 'phoneNumber' },
        });
      }
      if (!req.reference) {
        throw new UssdError('INVALID_REQUEST', 'payment reference is required', { details: { field: 'reference' } });
      }
      const log = {
        provider: 'intasend',
        reference: req.reference,
        phone: maskPhone(req.phoneNumber),
        amount: req.amount,
      };
      let reply: HttpReply;
      try {
        reply = await post(
          '/api/v1/payment/mpesa-stk-push/',
          {
            public_key: options.publishableKey,
            currency: req.currency,
            method: 'M-PESA',
            amount: req.amount,
            phone_number: req.phoneNumber.replace(/^\+/, ''),
            api_ref: req.reference,
            narrative: req.narrative,
            name: req.name ?? '',
            email: req.email ?? '',
          },
          ctx.signal,
        );
      } catch (err) {
        logger.warn({ ...log, err }, 'STK push outcome unknown; retry with the same reference');
        throw err;
      }
      const { invoice } = parseReply(reply, stkResponseSchema, 'STK push');
      const requested = {
        providerId: invoiceId(invoice),
        reference: invoice.api_ref ?? req.reference,
        state: stateOf[invoice.state],
      };
      logger.info({ ...log, providerId: requested.providerId, state: requested.state }, 'STK push queued');
      return requested;
    },

    async status(providerId, ctx) {
      const reply = await post(
        '/api/v1/payment/status/',
        { invoice_id: providerId, public_key: options.publishableKey },
        ctx.signal,
      );
      const { invoice } = parseReply(reply, statusResponseSchema, 'status check');
      return toEvent(invoice);
    },

    parseWebhook(body) {
      const what = `${provider} webhook`;
      const record = jsonRecord(body, what);
      const challenge = record.challenge;
      // Hashing both sides gives equal lengths, so the comparison time says nothing about the secret.
      if (typeof challenge !== 'string' || !timingSafeEqual(digest(challenge), expectedChallenge)) {
        throw new UssdError('WEBHOOK_UNAUTHORIZED', `${what}: challenge missing or wrong`, {
          details: { provider: 'intasend' },
        });
      }
      const parsed = webhookSchema.safeParse(record);
      if (!parsed.success) throw invalidField(what, parsed.error, record);
      return toEvent(parsed.data);
    },
  };
}

function parseReply<T extends z.ZodType>(reply: HttpReply, schema: T, what: string): z.output<T> {
  const json = parseJson(reply.text);
  if (reply.status >= 200 && reply.status < 300) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw new UssdError('PROVIDER_RESPONSE', `${provider} ${what}: unexpected body: ${excerpt(reply.text)}`, {
      cause: parsed.error,
      details: { provider: 'intasend', status: reply.status },
    });
  }
  const detail = errorDetail(json) ?? (excerpt(reply.text) || 'no detail');
  const message = `${provider} ${what} failed (HTTP ${reply.status}): ${detail}`;
  const details = { provider: 'intasend', status: reply.status, detail };
  if (reply.status === 401 || reply.status === 403) throw new UssdError('PROVIDER_AUTH', message, { details });
  if (reply.status === 429 || reply.status >= 500) throw new UssdError('PROVIDER_UNAVAILABLE', message, { details });
  throw new UssdError('PROVIDER_REJECTED', message, { details });
}

/** IntaSend errors come as `{"detail": "..."}` or `{"errors": [{"detail": "..."}]}`. */
function errorDetail(json: unknown): string | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const { detail, errors } = json as { detail?: unknown; errors?: unknown };
  if (typeof detail === 'string') return detail;
  if (Array.isArray(errors)) {
    const texts = errors.map((e) => (e && typeof e === 'object' ? (e as { detail?: unknown }).detail : e));
    const joined = texts.filter((t): t is string => typeof t === 'string').join('; ');
    if (joined) return joined;
  }
  return undefined;
}

function toEvent(invoice: Invoice): PaymentEvent {
  const state = stateOf[invoice.state];
  const failureCode = invoice.failed_code;
  const failureMessage = invoice.failed_reason ?? undefined;
  return {
    providerId: invoiceId(invoice),
    reference: invoice.api_ref ?? '',
    state,
    rawState: invoice.state,
    amount: invoice.value ?? undefined,
    currency: invoice.currency ?? undefined,
    account: e164(invoice.account),
    providerReference: invoice.mpesa_reference ?? undefined,
    failure:
      state === 'FAILED'
        ? { reason: mpesaFailureReason(failureCode, failureMessage), code: failureCode, message: failureMessage }
        : undefined,
    updatedAt: invoice.updated_at ?? undefined,
  };
}

function invoiceId(invoice: Pick<Invoice, 'invoice_id' | 'id'>): string {
  return invoice.invoice_id ?? String(invoice.id);
}

/** IntaSend writes M-Pesa numbers without `+`; everything else in the toolkit is E.164. */
function e164(account: string | null | undefined): string | undefined {
  if (!account) return undefined;
  return /^\d{9,15}$/.test(account) ? `+${account}` : account;
}

function jsonRecord(body: unknown, what: string): Record<string, unknown> {
  let value = body;
  if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
  if (typeof value === 'string') value = parseJson(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UssdError('INVALID_REQUEST', `${what}: the body is not a JSON object`, { details: { field: 'body' } });
  }
  return value as Record<string, unknown>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
