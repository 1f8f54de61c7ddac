// @ts-nocheck
import { type Dispatcher, request } from 'undici';
import { UssdError } from '../errors.js';

export interface HttpCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  dispatcher?: Dispatcher | undefined;
}

export interface HttpReply {
  status: number;
  contentType: string;
  text: string;
  /** From a `Retry-After` header given in seconds. */
  retryAfterMs?: number | undefined;
}

/** Why an exchange produced no reply; only `network` failures are known not to have reached the provider's logic. */
export type HttpFailure = 'network' | 'timeout' | 'aborted';

/**
 * One POST with a deadline and the caller's signal. Failures without a reply become PROVIDER_UNAVAILABLE with
 * `details.failure` telling a network error, our timeout and the caller's abort apart, because only the first
 * is known to be safe to repeat.
 */
export async function postOnce(provider: string, call: HttpCall): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  try {
    const res = await request(call.url, {
      method: 'POST',
      headers: call.headers,
      body: call.body,
      signal,
      dispatcher: call.dispatcher,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      contentType: headerValue(res.headers['content-type']),
      text,
      retryAfterMs: retryAfter(headerValue(res.headers['retry-after'])),
    };
  } catch (err) {
    if (call.signal?.aborted)
      throw unavailable(provider, 'aborted', 'request aborted by the caller', call.signal.reason);
    if (timeout.aborted) throw unavailable(provider, 'timeout', `no answer within ${call.timeoutMs} ms`, err);
    const code = (err as { code?: unknown }).code;
    const detail = typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown error';
    throw unavailable(provider, 'network', `could not be reached (${detail})`, err);
  }
}

export function httpFailure(err: unknown): HttpFailure | undefined {
  const details = (err as { details?: { failure?: unknown } }).details;
  const failure = details?.failure;
  return failure === 'network' || failure === 'timeout' || failure === 'aborted' ? failure : undefined;
}

/** A short, single-line excerpt of a response body for error messages. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

function unavailable(provider: string, failure: HttpFailure, message: string, cause: unknown): UssdError {
  return new UssdError('PROVIDER_UNAVAILABLE', `${provider}: ${message}`, { cause, details: { provider, failure } });
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function retryAfter(value: string): number | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  return Number(value) * 1000;
}
