// @ts-nocheck
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { UssdError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { RecipientStatus, SmsRecipientResult, SmsResult, SmsSender } from '../ports/sms.js';
import { silentLogger } from '../util/logger.js';
import { maskPhone } from '../util/mask.js';
import { backoffDelay, sleep } from './backoff.js';
import { excerpt, type HttpReply, httpFailure, postOnce } from './http.js';

export interface AfricasTalkingSmsOptions {
  /** `sandbox` on the sandbox. */
  username: string;
  apiKey: string;
  /** Default sender id or short code; a message's own `from` wins. */
  from?: string | undefined;
  sandbox?: boolean | undefined;
  /** Overrides the host, e.g. a local fake: `http://127.0.0.1:4010`. */
  baseUrl?: string | undefined;
  /** Per HTTP attempt. Default 10 s. */
  timeoutMs?: number | undefined;
  /** Extra attempts after a whole-request 429/5xx or network error. Default 2. */
  retries?: number | undefined;
  /** First retry delay; doubles per retry, with jitter, up to 5 s. Default 300 ms. */
  retryBaseMs?: number | undefined;
  dispatcher?: Dispatcher | undefined;
  logger?: Logger | undefined;
}

const provider = "Africa's Talking";
const liveUrl = 'https://api.africastalking.com';
const sandboxUrl = 'https://api.sandbox.africastalking.com';

const recipientSchema = z.object({
  statusCode: z.coerce.number().int(),
  number: z.string(),
  status: z.string(),
  cost: z.string().nullish(),
  messageId: z.string().nullish(),
});

const responseSchema = z.object({
  SMSMessageData: z.object({
    Message: z.string().default(''),
    Recipients: z.array(recipientSchema).default([]),
  }),
});

type Recipient = z.output<typeof recipientSchema>;

/** Per-recipient status codes: 100 Processed, 101 Sent, 102 Queued are accepted; 500-502 may pass on retry. */
export function recipientStatus(statusCode: number): RecipientStatus {
  if (statusCode >= 100 && statusCode <= 102) return 'accepted';
  if (statusCode >= 500 && statusCode <= 502) return 'retryable';
  return 'failed';
}

/**
 * Africa's Talking bulk SMS. A whole-request 429/5xx or network error is retried here, because such a request
 * was refused as a whole and nobody was texted. A timeout is not: AT may have sent it, and the outbox above
 * decides what to do with an unknown outcome. Per-recipient 500-502 come back as `retryable` for the caller.
 */
export function africasTalkingSms(options: AfricasTalkingSmsOptions): SmsSender {
  if (!options.username) throw new UssdError('CONFIG', `${provider}: username is required`);
  if (!options.apiKey) throw new UssdError('CONFIG', `${provider}: apiKey is required`);
  const base = (options.baseUrl ?? (options.sandbox ? sandboxUrl : liveUrl)).replace(/\/+$/, '');
  const url = `${base}/version1/messaging`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const backoff = { baseMs: options.retryBaseMs ?? 300, factor: 2, maxMs: 5_000, jitter: true };
  const logger = options.logger ?? silentLogger;
  const headers = {
    apiKey: options.apiKey,
    Accept: 'application/json',
    'Content-Type': 'application/x-www-form-urlencoded',
  };

  return {
    name: 'africastalking',
    async send(message, ctx) {
      if (message.to.length === 0) {
        throw new UssdError('INVALID_REQUEST', 'an SMS needs at least one recipient', { details: { field: 'to' } });
      }
      const form = new URLSearchParams({ username: options.username, to: message.to.join(','), message: message.text });
      const from = message.from ?? options.from;
      if (from) form.set('from', from);
      const log = { provider: 'africastalking', key: ctx.idempotencyKey, to: message.to.map(maskPhone) };

      for (let attempt = 0; ; attempt++) {
        let reply: HttpReply;
        try {
          reply = await postOnce(provider, {
            url,
            headers,
            body: form.toString(),
            timeoutMs,
            signal: ctx.signal,
            dispatcher: options.dispatcher,
          });
        } catch (err) {
          if (httpFailure(err) === 'network' && attempt < retries) {
            logger.warn({ ...log, attempt, err }, 'SMS request failed to connect, retrying');
            await pause(backoffDelay(attempt + 1, backoff), ctx.signal);
            continue;
          }
          logger.error({ ...log, attempt, err }, 'SMS request failed');
          throw err;
        }
        if ((reply.status === 429 || reply.status >= 500) && attempt < retries) {
          logger.warn({ ...log, attempt, status: reply.status }, 'SMS request refused, retrying');
          const delay = Math.max(backoffDelay(attempt + 1, backoff), Math.min(reply.retryAfterMs ?? 0, backoff.maxMs));
          await pause(delay, ctx.signal);
          continue;
        }
        const result = interpret(reply, from);
        logger.info(
          {
            ...log,
            attempts: attempt + 1,
            statuses: result.recipients.map((r) => `${maskPhone(r.to)}:${r.providerCode}`),
          },
          'SMS submitted',
        );
        return result;
      }
    },
  };
}

function interpret(reply: HttpReply, from: string | undefined): SmsResult {
  if (reply.status === 401) {
    throw new UssdError('PROVIDER_AUTH', `${provider} rejected the username or apiKey (HTTP 401)`, {
      details: { provider: 'africastalking', status: 401 },
    });
  }
  if (reply.status === 429 || reply.status >= 500) {
    throw new UssdError('PROVIDER_UNAVAILABLE', `${provider} answered HTTP ${reply.status}`, {
      details: { provider: 'africastalking', status: reply.status },
    });
  }
  if (reply.status !== 201 && reply.status !== 200) {
    throw new UssdError('PROVIDER_REJECTED', `${provider} answered HTTP ${reply.status}: ${excerpt(reply.text)}`, {
      details: { provider: 'africastalking', status: reply.status },
    });
  }
  const parsed = responseSchema.safeParse(parseJson(reply.text));
  if (!parsed.success) {
    throw new UssdError('PROVIDER_RESPONSE', `${provider} sent an unexpected body: ${excerpt(reply.text)}`, {
      cause: parsed.error,
      details: { provider: 'africastalking', status: reply.status },
    });
  }
  const { Message, Recipients } = parsed.data.SMSMessageData;
  if (Recipients.length === 0) {
    const why =
      Message === 'InvalidSenderId'
        ? `sender id "${from ?? '(default)'}" is not registered for this account (InvalidSenderId)`
        : `no recipient was accepted (${Message || 'no reason given'})`;
    throw new UssdError('PROVIDER_REJECTED', `${provider} refused the message: ${why}`, {
      details: { provider: 'africastalking', message: Message },
    });
  }
  return { recipients: Recipients.map(toResult) };
}

function toResult(r: Recipient): SmsRecipientResult {
  return {
    to: r.number,
    status: recipientStatus(r.statusCode),
    messageId: r.messageId && r.messageId !== 'None' ? r.messageId : undefined,
    reason: r.status,
    providerCode: r.statusCode,
    cost: r.cost ?? undefined,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (reason) {
    throw new UssdError('PROVIDER_UNAVAILABLE', `${provider}: request aborted by the caller`, {
      cause: reason,
      details: { provider: 'africastalking', failure: 'aborted' },
    });
  }
}
