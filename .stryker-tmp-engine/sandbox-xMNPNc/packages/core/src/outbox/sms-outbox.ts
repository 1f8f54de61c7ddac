// @ts-nocheck
import { isUssdError, UssdError, type UssdErrorCode } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { OutboxItem, OutboxProgress, OutboxStore } from '../ports/outbox.js';
import type { SmsMessage, SmsRecipientResult, SmsResult, SmsSender } from '../ports/sms.js';
import { type BackoffOptions, backoffDelay } from '../providers/backoff.js';
import { silentLogger } from '../util/logger.js';
import { maskPhone } from '../util/mask.js';

export interface SmsOutboxOptions {
  store: OutboxStore;
  sender: SmsSender;
  logger?: Logger | undefined;
  /** Sends tried before an item is marked failed. Default 8. */
  maxAttempts?: number | undefined;
  /** Delay between attempts. Default base 1 s, factor 2, max 5 min, with jitter. */
  backoff?: Partial<BackoffOptions> | undefined;
  /** How often `start()` looks for due items. Default 1 s. */
  pollIntervalMs?: number | undefined;
  /** How long a claimed item is reserved for this worker; must exceed one send with its retries. Default 60 s. */
  leaseMs?: number | undefined;
  /** Items claimed per store round trip. Default 20. */
  batchSize?: number | undefined;
  /** Sends in flight at once. Default 4. */
  concurrency?: number | undefined;
  /** Clock for tests. Default Date.now. */
  now?: (() => number) | undefined;
}

export interface SmsOutbox {
  /** Records the message under `key` and reports whether it was new; the same key is never sent twice. */
  enqueue(message: SmsMessage, key: string): Promise<{ queued: boolean }>;
  /** Delivers every item due now, and waits for deliveries already running. */
  flush(): Promise<void>;
  /** Polls for due items until `stop()`; also delivers promptly after each `enqueue`. */
  start(): void;
  /** Stops polling and waits for deliveries in flight. */
  stop(): Promise<void>;
  get(key: string): Promise<OutboxItem | null>;
}

// Retrying these cannot help: a person has to fix the message, the sender id or the credentials.
const permanent: ReadonlySet<UssdErrorCode> = new Set([
  'PROVIDER_REJECTED',
  'PROVIDER_AUTH',
  'PROVIDER_RESPONSE',
  'CONFIG',
  'INVALID_REQUEST',
]);

/**
 * Record first, deliver after: an SMS survives a provider outage or a restart, and each key is delivered at most
 * once per recipient. A message to several recipients that is partly accepted is retried for the rest only.
 */
export function createSmsOutbox(options: SmsOutboxOptions): SmsOutbox {
  const { store, sender } = options;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 8);
  const backoff: BackoffOptions = { baseMs: 1_000, factor: 2, maxMs: 5 * 60_000, jitter: true, ...options.backoff };
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = Math.max(1, options.batchSize ?? 20);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  let timer: ReturnType<typeof setInterval> | undefined;
  let ticking: Promise<void> | undefined;

  async function retryOrGiveUp(
    item: OutboxItem,
    attempts: number,
    error: string,
    progress: OutboxProgress | undefined,
    result: SmsResult | undefined,
  ): Promise<void> {
    const log = { key: item.key, attempts };
    if (attempts >= maxAttempts) {
      logger.error({ ...log, error }, 'SMS given up');
      await store.markFailed(item.key, attempts, `gave up after ${attempts} attempts: ${error}`, result);
      return;
    }
    const nextAttemptAt = now() + backoffDelay(attempts, backoff);
    logger.warn({ ...log, error, nextAttemptAt }, 'SMS will be retried');
    await store.markRetry(item.key, attempts, nextAttemptAt, error, progress);
  }

  async function deliver(item: OutboxItem): Promise<void> {
    const attempts = item.attempts + 1;
    const to = item.progress?.remaining ?? item.message.to;
    const settled = item.progress?.settled ?? [];
    const log = { key: item.key, attempts, to: to.map(maskPhone) };
    let result: SmsResult;
    try {
      result = await sender.send({ ...item.message, to }, { idempotencyKey: item.key });
    } catch (err) {
      const error = describe(err);
      if (isUssdError(err) && permanent.has(err.code)) {
        logger.error({ ...log, err }, 'SMS failed for good');
        await store.markFailed(item.key, attempts, error);
        return;
      }
      await retryOrGiveUp(item, attempts, error, undefined, undefined);
      return;
    }

    const retryable = result.recipients.filter((r) => r.status === 'retryable');
    const done = [...settled, ...result.recipients.filter((r) => r.status !== 'retryable')];
    if (retryable.length > 0) {
      const progress = { remaining: retryable.map((r) => r.to), settled: done };
      await retryOrGiveUp(item, attempts, `recipients to retry: ${reasons(retryable)}`, progress, {
        recipients: [...done, ...retryable],
      });
      return;
    }
    const failed = done.filter((r) => r.status === 'failed');
    if (failed.length === done.length) {
      logger.error({ ...log, reasons: reasons(failed) }, 'SMS refused for every recipient');
      await store.markFailed(item.key, attempts, `no recipient accepted: ${reasons(failed)}`, { recipients: done });
      return;
    }
    if (failed.length > 0) {
      logger.warn({ ...log, failed: failed.map((r) => `${maskPhone(r.to)}:${r.reason}`) }, 'SMS partly refused');
    }
    logger.info(log, 'SMS sent');
    await store.markSent(item.key, { recipients: done }, attempts);
  }

  async function deliverLogged(item: OutboxItem): Promise<void> {
    try {
      await deliver(item);
    } catch (err) {
      // The store failed to record the outcome: the lease expires and the item is tried again.
      logger.error({ key: item.key, err }, 'outbox could not record a delivery');
    }
  }

  /** Delivers what is due at `at`. Retries land strictly after `at`, so this ends even when every send fails. */
  async function drain(at: number): Promise<void> {
    for (;;) {
      const batch = await store.claimDue(at, batchSize, leaseMs);
      if (batch.length === 0) return;
      let next = 0;
      const worker = async () => {
        for (let item = batch[next++]; item; item = batch[next++]) await deliverLogged(item);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    }
  }

  function tick(): Promise<void> {
    ticking ??= drain(now())
      .catch((err) => logger.error({ err }, 'outbox poll failed'))
      .finally(() => {
        ticking = undefined;
      });
    return ticking;
  }

  return {
    async enqueue(message, key) {
      if (!key) throw new UssdError('INVALID_REQUEST', 'outbox key is required', { details: { field: 'key' } });
      if (message.to.length === 0 || !message.text) {
        throw new UssdError('INVALID_REQUEST', 'an SMS needs a recipient and a text', { details: { key } });
      }
      const queued = await store.add({ key, message, createdAt: now() });
      logger.debug({ key, to: message.to.map(maskPhone), queued }, queued ? 'SMS queued' : 'SMS already queued');
      if (queued && timer) {
        setImmediate(() => {
          if (timer) void tick();
        });
      }
      return { queued };
    },
    async flush() {
      await ticking;
      await drain(now());
      await ticking;
    },
    start() {
      if (timer) return;
      timer = setInterval(tick, pollIntervalMs);
      timer.unref();
      void tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await ticking;
    },
    get: (key) => store.get(key),
  };
}

function describe(err: unknown): string {
  if (isUssdError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

function reasons(results: SmsRecipientResult[]): string {
  return [...new Set(results.map((r) => r.reason ?? r.status))].join(', ');
}
