import { z } from 'zod';
import { UssdError } from '../errors.js';

/** Reads a JSON body that may arrive as raw text, a Buffer or an object a framework already parsed. */
export function jsonBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UssdError('INVALID_REQUEST', 'invalid USSD request: body is not JSON');
  }
}

/** Validates a request; every issue is named in one INVALID_REQUEST (HTTP 400), worded like the form codec. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(jsonBody(body));
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues.map((i) => i.message).join('; ');
  throw new UssdError('INVALID_REQUEST', `invalid USSD request: ${reason}`);
}

export const requestObject = <S extends z.core.$ZodLooseShape>(shape: S) =>
  z.object(shape, { error: 'body is not a JSON object' });

const absent = (v: unknown) => v === undefined || v === null;
// Gateways differ on whether ids and counters are JSON numbers or strings; the engine wants strings.
const scalar = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v);

/** A required id or phone number: numbers become strings; absent, null and blank are refused. */
export const idField = (name: string, max = 128) =>
  z.preprocess(
    scalar,
    z
      .string({ error: (i) => (absent(i.input) ? `${name} is missing` : `${name} is not text`) })
      .trim()
      .min(1, `${name} is empty`)
      .max(max, `${name} is longer than ${max} characters`),
  );

/** Optional text, kept as typed (free text may carry meaningful spaces and `*`); null counts as absent. */
export const textField = (name: string, max = 1000) =>
  z.preprocess(
    (v) => (absent(v) ? undefined : scalar(v)),
    z
      .string({ error: `${name} is not text` })
      .max(max, `${name} is longer than ${max} characters`)
      .optional(),
  );

const flags: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false };

/** A required boolean that some gateways send as `'true'`/`'false'` or `1`/`0`. */
export const flagField = (name: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' || typeof v === 'number' ? (flags[String(v).trim().toLowerCase()] ?? v) : v),
    z.boolean({ error: (i) => (absent(i.input) ? `${name} is missing` : `${name} is not true or false`) }),
  );

/** An optional hop counter, as a number or a numeric string. */
export const counterField = (name: string) =>
  z.preprocess(
    (v) => (absent(v) || v === '' ? undefined : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    // The type's message covers its checks too: a fraction or a negative is equally not a whole number.
    z
      .number({ error: `${name} is not a whole number` })
      .int()
      .nonnegative()
      .optional(),
  );
