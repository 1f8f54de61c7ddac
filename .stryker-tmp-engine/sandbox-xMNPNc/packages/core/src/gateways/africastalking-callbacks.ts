// @ts-nocheck
import { z } from 'zod';
import { UssdError } from '../errors.js';
import type { SessionStore } from '../ports/session-store.js';
import { formFields } from './form.js';
import { invalidField } from './invalid-field.js';

/** An SMS a subscriber sent to our short code. */
export interface IncomingSms {
  /** Provider timestamp as sent, e.g. `2025-09-29 12:00:00`. */
  date: string;
  /** Sender, E.164 with `+`. */
  from: string;
  /** Our short code or number. */
  to: string;
  /** May be empty. */
  text: string;
  /** Unique per message; AT retries a callback with the same id. */
  id: string;
  /** Present for premium (on-demand) messages; needed to reply within the same subscription. */
  linkId?: string | undefined;
  networkCode?: string | undefined;
}

export type DeliveryStatus = 'Sent' | 'Submitted' | 'Buffered' | 'Rejected' | 'Success' | 'Failed';

export interface DeliveryReport {
  /** The `messageId` returned when the message was sent. */
  id: string;
  status: DeliveryStatus;
  /** True for Rejected, Success and Failed: no further report follows. */
  final: boolean;
  phoneNumber: string;
  networkCode?: string | undefined;
  /** Only for Rejected and Failed, e.g. `UserInBlackList`. */
  failureReason?: string | undefined;
  retryCount?: number | undefined;
}

export type UssdSessionEndStatus = 'Success' | 'Incomplete' | 'Failed';

export interface UssdSessionEnd {
  date: string;
  sessionId: string;
  serviceCode: string;
  phoneNumber: string;
  /** Success: the session reached an END. Incomplete: the user left on a CON screen. Failed: app error or timeout. */
  status: UssdSessionEndStatus;
  networkCode?: string | undefined;
  /** `KES 0.10` arrives as `{ amount: 0.1, currency: 'KES' }`; a bare number has no currency. */
  cost?: { amount: number; currency?: string | undefined } | undefined;
  durationInMillis?: number | undefined;
  hopsCount?: number | undefined;
  /** The last `text` of the session. */
  input?: string | undefined;
  /** The last body we answered, with its `CON `/`END ` prefix. */
  lastAppResponse?: string | undefined;
  errorMessage?: string | undefined;
  hopsMetadata?: string | undefined;
}

const required = z.string().trim().min(1);
/** Optional text: a blank value counts as absent, as forms cannot leave a field out selectively. */
const optional = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
// A JSON body may carry counters and costs as numbers; anything else that is not text is refused by the schema.
const numberText = (v: unknown) => (v === '' ? undefined : typeof v === 'number' ? String(v) : v);
const count = z.preprocess(
  numberText,
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform((s) => Number(s))
    .optional(),
);
const costPattern = /^(?:([A-Za-z]{3})\s+)?(\d+(?:\.\d+)?)$/;
const cost = z.preprocess(
  numberText,
  z
    .string()
    .trim()
    .regex(costPattern, 'expected "KES 0.10" or a number')
    .transform((s) => {
      const [, currency, amount] = costPattern.exec(s) ?? [];
      return currency ? { amount: Number(amount), currency: currency.toUpperCase() } : { amount: Number(amount) };
    })
    .optional(),
);

const incomingSmsSchema = z.object({
  date: required,
  from: required,
  to: required,
  text: z.string(),
  id: required,
  linkId: optional,
  networkCode: optional,
});

const deliveryStatuses = ['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed'] as const;
const finalDeliveryStatuses: ReadonlySet<DeliveryStatus> = new Set(['Rejected', 'Success', 'Failed']);

const deliveryReportSchema = z.object({
  id: required,
  status: z.enum(deliveryStatuses),
  phoneNumber: required,
  networkCode: optional,
  failureReason: optional,
  retryCount: count,
});

const sessionEndSchema = z.object({
  date: required,
  sessionId: required.max(128),
  serviceCode: required,
  phoneNumber: required,
  status: z.enum(['Success', 'Incomplete', 'Failed']),
  networkCode: optional,
  cost: cost,
  durationInMillis: count,
  hopsCount: count,
  input: z.string().optional(),
  lastAppResponse: z.string().optional(),
  errorMessage: optional,
  hopsMetadata: optional,
});

/** Parses AT's incoming-SMS callback; throws UssdError('INVALID_REQUEST') naming the bad field. */
export function parseIncomingSms(body: unknown): IncomingSms {
  return parseForm('incoming SMS', incomingSmsSchema, body);
}

/** Parses AT's SMS delivery report; throws UssdError('INVALID_REQUEST') naming the bad field. */
export function parseDeliveryReport(body: unknown): DeliveryReport {
  const report = parseForm('SMS delivery report', deliveryReportSchema, body);
  return { ...report, final: finalDeliveryStatuses.has(report.status) };
}

/** Parses AT's USSD end-of-session notification; throws UssdError('INVALID_REQUEST') naming the bad field. */
export function parseUssdSessionEnd(body: unknown): UssdSessionEnd {
  return parseForm('USSD end-of-session notification', sessionEndSchema, body);
}

/** Accepts the raw text, a Buffer, URLSearchParams or a record a framework already parsed. */
function parseForm<T extends z.ZodType>(what: string, schema: T, body: unknown): z.output<T> {
  const fields = formFields(body instanceof URLSearchParams ? body.toString() : body);
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw invalidField(what, parsed.error, fields);
  return parsed.data;
}

export interface IdempotencyGuardOptions {
  /** Any SessionStore works; `deleteIfEquals` is only needed for `release`. */
  store: Pick<SessionStore, 'setIfAbsent'> & Partial<Pick<SessionStore, 'deleteIfEquals'>>;
  /** How long an id is remembered. AT retries for about 10 minutes; the default keeps ids for a day. */
  ttlMs?: number | undefined;
  /** Key prefix, so guards for different callbacks can share a store. */
  prefix?: string | undefined;
}

export interface IdempotencyGuard {
  /** True the first time an id is seen (within the TTL), false for every repeat. */
  firstTime(id: string): Promise<boolean>;
  /** Forgets an id whose handling failed, so the provider's next retry is handled again. */
  release(id: string): Promise<void>;
}

const handledMark = 'handled';

/** Makes each callback id count once, across processes when the store is shared (Redis, SQL). */
export function createIdempotencyGuard(options: IdempotencyGuardOptions): IdempotencyGuard {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const prefix = options.prefix ?? 'callback:';
  const keyFor = (id: string) => {
    if (!id) throw new UssdError('INVALID_REQUEST', 'callback id is empty', { details: { field: 'id' } });
    return prefix + id;
  };
  return {
    async firstTime(id) {
      return options.store.setIfAbsent(keyFor(id), handledMark, ttlMs);
    },
    async release(id) {
      if (!options.store.deleteIfEquals) {
        throw new UssdError('CONFIG', 'release needs a store with deleteIfEquals');
      }
      await options.store.deleteIfEquals(keyFor(id), handledMark);
    },
  };
}
