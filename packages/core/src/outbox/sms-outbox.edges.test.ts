import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UssdError, type UssdErrorCode } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { OutboxStore } from '../ports/outbox.js';
import type { SmsMessage, SmsRecipientResult, SmsResult, SmsSender } from '../ports/sms.js';
import { memoryOutboxStore } from './memory-outbox-store.js';
import { createSmsOutbox, type SmsOutboxOptions } from './sms-outbox.js';

const jane = '+254711000111';
const otieno = '+254722000222';
const wanjiru = '+254733000333';

type Reply = (message: SmsMessage) => SmsResult | Error | string;

/** An SmsSender double answering from a script, one entry per call (the last repeats). */
function scriptedSender(...script: Reply[]) {
  const calls: SmsMessage[] = [];
  const sender: SmsSender = {
    name: 'scripted',
    async send(message) {
      calls.push(structuredClone(message));
      const reply = script[Math.min(calls.length - 1, script.length - 1)];
      if (!reply) throw new Error('script is empty');
      const out = reply(message);
      if (out instanceof Error || typeof out === 'string') throw out;
      return out;
    },
  };
  return { sender, calls };
}

const answer =
  (status: Record<string, [SmsRecipientResult['status'], string?]> = {}): Reply =>
  (message) => ({
    recipients: message.to.map((to) => {
      const [s, reason] = status[to] ?? ['accepted', 'Success'];
      return reason === undefined ? { to, status: s } : { to, status: s, reason };
    }),
  });
const throws =
  (err: Error | string): Reply =>
  () =>
    err;

/** The memory store, with every claim recorded and the chance to make a write fail. */
function observedStore() {
  const inner = memoryOutboxStore();
  const claims: Array<[number, number, number]> = [];
  const failing = new Set<'markSent' | 'claimDue'>();
  const store: OutboxStore = {
    ...inner,
    async claimDue(now, limit, leaseMs) {
      claims.push([now, limit, leaseMs]);
      if (failing.has('claimDue')) throw new Error('database is down');
      return inner.claimDue(now, limit, leaseMs);
    },
    async markSent(key, result, attempts) {
      if (failing.has('markSent')) {
        failing.delete('markSent');
        throw new Error('disk full');
      }
      return inner.markSent(key, result, attempts);
    },
  };
  return { store, claims, failing };
}

function recordingLogger() {
  const entries: Array<{ level: string; msg: string | undefined; obj: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      entries.push({ level, msg, obj });
    };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, entries };
}

describe('createSmsOutbox defaults and limits', () => {
  let t: number;
  let observed: ReturnType<typeof observedStore>;
  const now = () => t;
  const outboxWith = (sender: SmsSender, options: Partial<SmsOutboxOptions> = {}) =>
    createSmsOutbox({ store: observed.store, sender, now, ...options });

  beforeEach(() => {
    t = 1_000_000;
    observed = observedStore();
  });

  it('claims up to 4 items with a 60 s lease by default', async () => {
    const outbox = outboxWith(scriptedSender(answer()).sender);
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    expect(observed.claims[0]).toEqual([1_000_000, 4, 60_000]);
  });

  it.each([
    [{ concurrency: 2 }, 2],
    [{ concurrency: 2, batchSize: 10 }, 2],
    [{ concurrency: 6, batchSize: 3 }, 3],
    [{ concurrency: 6, batchSize: 0 }, 1],
    [{ concurrency: 0 }, 1],
    [{ concurrency: -2, batchSize: 5 }, 1],
  ])('with %j claims %i at a time', async (options, size) => {
    const outbox = outboxWith(scriptedSender(answer()).sender, options);
    await outbox.flush();
    expect(observed.claims[0]?.[1]).toBe(size);
  });

  it('takes its lease from the options', async () => {
    const outbox = outboxWith(scriptedSender(answer()).sender, { leaseMs: 7_000 });
    await outbox.flush();
    expect(observed.claims[0]?.[2]).toBe(7_000);
  });

  it('claims at the current time, not at the time the flush began', async () => {
    const slow: SmsSender = {
      name: 'slow',
      async send(message) {
        t += 5_000;
        return answer()(message) as SmsResult;
      },
    };
    const outbox = outboxWith(slow, { concurrency: 1 });
    await outbox.enqueue({ to: [jane], text: 'a' }, 'a');
    await outbox.enqueue({ to: [jane], text: 'b' }, 'b');
    await outbox.flush();
    expect(observed.claims.map(([at]) => at)).toEqual([1_000_000, 1_005_000, 1_010_000]);
  });

  it('tries 8 times by default before it gives up', async () => {
    const { sender, calls } = scriptedSender(throws(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    for (let i = 0; i < 10; i++) {
      await outbox.flush();
      t += 3_600_000;
    }
    expect(calls).toHaveLength(8);
    expect(await outbox.get('k')).toMatchObject({
      status: 'failed',
      attempts: 8,
      lastError: 'gave up after 8 attempts: PROVIDER_UNAVAILABLE: down',
    });
  });

  it('tries at least once even when told zero attempts', async () => {
    const { sender, calls } = scriptedSender(throws(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
    const outbox = outboxWith(sender, { maxAttempts: 0 });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    t += 3_600_000;
    await outbox.flush();
    expect(calls).toHaveLength(1);
    expect(await outbox.get('k')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('waits 1 s, then 2 s, then 4 s by default when jitter is turned off', async () => {
    const { sender } = scriptedSender(throws(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
    const outbox = outboxWith(sender, { backoff: { jitter: false } });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) {
      await outbox.flush();
      const next = (await outbox.get('k'))?.nextAttemptAt ?? t;
      steps.push(next - t);
      t = next;
    }
    expect(steps).toEqual([1_000, 2_000, 4_000]);
  });

  it('spreads the default delay with jitter and caps it at 5 minutes', async () => {
    const { sender } = scriptedSender(throws(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
    const random = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      const outbox = outboxWith(sender, { maxAttempts: 20 });
      await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
      const steps: number[] = [];
      for (let i = 0; i < 11; i++) {
        await outbox.flush();
        const next = (await outbox.get('k'))?.nextAttemptAt ?? t;
        steps.push(next - t);
        t = next;
      }
      // Half of 1 s, 2 s, 4 s, ... up to half of the 300 s cap.
      expect(steps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 150_000, 150_000]);
    } finally {
      random.mockRestore();
    }
  });
});

describe('createSmsOutbox outcomes', () => {
  let t: number;
  let observed: ReturnType<typeof observedStore>;
  const now = () => t;
  const outboxWith = (sender: SmsSender, options: Partial<SmsOutboxOptions> = {}) =>
    createSmsOutbox({
      store: observed.store,
      sender,
      now,
      backoff: { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: false },
      ...options,
    });

  beforeEach(() => {
    t = 1_000_000;
    observed = observedStore();
  });

  it.each(['PROVIDER_RESPONSE', 'CONFIG', 'INVALID_REQUEST'] as UssdErrorCode[])(
    'fails an item on %s at once, since no retry can fix it',
    async (code) => {
      const { sender, calls } = scriptedSender(throws(new UssdError(code, 'bad')));
      const outbox = outboxWith(sender);
      await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
      await outbox.flush();
      t += 3_600_000;
      await outbox.flush();
      expect(calls).toHaveLength(1);
      expect(await outbox.get('k')).toMatchObject({ status: 'failed', attempts: 1, lastError: `${code}: bad` });
    },
  );

  it('retries other errors, describing a thrown non-error by its text', async () => {
    const { sender, calls } = scriptedSender(throws('socket closed'), throws(new UssdError('STORE', 'odd')));
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'socket closed' });
    t += 1_000;
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({ status: 'pending', attempts: 2, lastError: 'STORE: odd' });
    expect(calls).toHaveLength(2);
  });

  it('gives up on the last attempt exactly, not one later', async () => {
    const { sender, calls } = scriptedSender(throws(new Error('boom')));
    const outbox = outboxWith(sender, { maxAttempts: 2 });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({ status: 'pending', attempts: 1 });
    t += 1_000;
    await outbox.flush();
    expect(calls).toHaveLength(2);
    expect(await outbox.get('k')).toMatchObject({
      status: 'failed',
      attempts: 2,
      lastError: 'gave up after 2 attempts: boom',
    });
  });

  it('names the retryable reasons once each, and the status when there is no reason', async () => {
    const { sender } = scriptedSender(
      answer({
        [jane]: ['retryable', 'GatewayError'],
        [otieno]: ['retryable', 'GatewayError'],
        [wanjiru]: ['retryable'],
      }),
    );
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane, otieno, wanjiru], text: 'x' }, 'k');
    await outbox.flush();
    expect((await outbox.get('k'))?.lastError).toBe('recipients to retry: GatewayError, retryable');
  });

  it('fails an item refused for every recipient, naming each reason once, and keeps the results', async () => {
    const { sender } = scriptedSender(
      answer({ [jane]: ['failed', 'UserInBlacklist'], [otieno]: ['failed', 'UserInBlacklist'], [wanjiru]: ['failed'] }),
    );
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane, otieno, wanjiru], text: 'x' }, 'k');
    await outbox.flush();
    const item = await outbox.get('k');
    expect(item).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'no recipient accepted: UserInBlacklist, failed',
    });
    expect(item?.result?.recipients.map((r) => [r.to, r.status])).toEqual([
      [jane, 'failed'],
      [otieno, 'failed'],
      [wanjiru, 'failed'],
    ]);
  });

  it('counts a message sent when some recipients were refused for good, and logs who', async () => {
    const { logger, entries } = recordingLogger();
    const { sender } = scriptedSender(answer({ [otieno]: ['failed', 'InvalidPhoneNumber'] }));
    const outbox = outboxWith(sender, { logger });
    await outbox.enqueue({ to: [jane, otieno], text: 'x' }, 'k');
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({ status: 'sent', attempts: 1 });
    const warned = entries.find((e) => e.msg === 'SMS partly refused');
    expect(warned?.obj).toEqual({
      key: 'k',
      attempts: 1,
      to: ['+254711***111', '+254722***222'],
      failed: ['+254722***222:InvalidPhoneNumber'],
    });
  });

  it('logs the life of an item in order', async () => {
    const { logger, entries } = recordingLogger();
    const down = new UssdError('PROVIDER_UNAVAILABLE', 'down');
    const { sender } = scriptedSender(throws(down), answer());
    const outbox = outboxWith(sender, { logger });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    t += 1_000;
    await outbox.flush();
    expect(entries.map((e) => [e.level, e.msg])).toEqual([
      ['debug', 'SMS queued'],
      ['debug', 'SMS already queued'],
      ['warn', 'SMS will be retried'],
      ['info', 'SMS sent'],
    ]);
    expect(entries[0]?.obj).toEqual({ key: 'k', to: ['+254711***111'], queued: true });
    expect(entries[1]?.obj).toEqual({ key: 'k', to: ['+254711***111'], queued: false });
    expect(entries[2]?.obj).toEqual({
      key: 'k',
      attempts: 1,
      error: 'PROVIDER_UNAVAILABLE: down',
      nextAttemptAt: 1_001_000,
    });
    expect(entries[3]?.obj).toEqual({ key: 'k', attempts: 2, to: ['+254711***111'] });
  });

  it('logs a permanent failure, a refusal and a give-up as errors', async () => {
    const { logger, entries } = recordingLogger();
    const { sender } = scriptedSender(
      throws(new UssdError('PROVIDER_AUTH', 'bad key')),
      answer({ [jane]: ['failed', 'UserInBlacklist'] }),
      throws(new Error('boom')),
    );
    const outbox = outboxWith(sender, { logger, maxAttempts: 1 });
    for (const key of ['a', 'b', 'c']) {
      await outbox.enqueue({ to: [jane], text: 'x' }, key);
      await outbox.flush();
    }
    expect(entries.filter((e) => e.level === 'error').map((e) => [e.msg, e.obj.key])).toEqual([
      ['SMS failed for good', 'a'],
      ['SMS refused for every recipient', 'b'],
      ['SMS given up', 'c'],
    ]);
    expect(entries.find((e) => e.msg === 'SMS refused for every recipient')?.obj).toMatchObject({
      reasons: 'UserInBlacklist',
    });
    expect(entries.find((e) => e.msg === 'SMS given up')?.obj).toEqual({ key: 'c', attempts: 1, error: 'boom' });
  });

  it('keeps going when the store cannot record an outcome, and tries the item again after its lease', async () => {
    const { logger, entries } = recordingLogger();
    const { sender, calls } = scriptedSender(answer());
    const outbox = outboxWith(sender, { logger, leaseMs: 5_000 });
    await outbox.enqueue({ to: [jane], text: 'a' }, 'a');
    await outbox.enqueue({ to: [jane], text: 'b' }, 'b');
    observed.failing.add('markSent');
    await outbox.flush();
    expect(entries.filter((e) => e.level === 'error').map((e) => [e.msg, e.obj.key])).toEqual([
      ['outbox could not record a delivery', 'a'],
    ]);
    expect((await outbox.get('b'))?.status).toBe('sent');
    expect((await outbox.get('a'))?.status).toBe('pending');
    t += 5_000;
    await outbox.flush();
    expect(calls.map((m) => m.text)).toEqual(['a', 'b', 'a']);
    expect((await outbox.get('a'))?.status).toBe('sent');
  });

  it('refuses an empty key, naming the field', async () => {
    const outbox = outboxWith(scriptedSender(answer()).sender);
    await expect(outbox.enqueue({ to: [jane], text: 'x' }, '')).rejects.toMatchObject({
      message: 'outbox key is required',
      details: { field: 'key' },
    });
    await expect(outbox.enqueue({ to: [jane], text: '' }, 'k')).rejects.toMatchObject({
      message: 'an SMS needs a recipient and a text',
      details: { key: 'k' },
    });
  });
});

/** Lets pending promise chains run; setImmediate is never faked here. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createSmsOutbox polling', () => {
  let observed: ReturnType<typeof observedStore>;
  beforeEach(() => {
    observed = observedStore();
  });
  const stopping: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stopping.splice(0)) await stop();
  });
  const started = (sender: SmsSender, options: Partial<SmsOutboxOptions> = {}) => {
    const outbox = createSmsOutbox({ store: observed.store, sender, ...options });
    stopping.push(() => outbox.stop());
    return outbox;
  };

  it('delivers what was queued before start right away, without waiting for the first poll', async () => {
    const { sender, calls } = scriptedSender(answer());
    const outbox = started(sender, { pollIntervalMs: 3_600_000 });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    outbox.start();
    await expect.poll(() => calls.length, { timeout: 2_000, interval: 2 }).toBe(1);
  });

  it('polls every second by default', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const outbox = started(scriptedSender(answer()).sender);
      outbox.start();
      await settle();
      expect(observed.claims).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(999);
      expect(observed.claims).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await settle();
      expect(observed.claims).toHaveLength(2);
      await outbox.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('delivers a new item right after enqueue, long before the next poll', async () => {
    const { sender, calls } = scriptedSender(answer());
    const outbox = started(sender, { pollIntervalMs: 3_600_000 });
    outbox.start();
    await outbox.flush();
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await expect.poll(() => calls.length, { timeout: 2_000, interval: 2 }).toBe(1);
    await expect.poll(async () => (await outbox.get('k'))?.status, { timeout: 2_000, interval: 2 }).toBe('sent');
  });

  it('does not start a delivery round for a key it already has', async () => {
    let t = 1_000_000;
    const down = new UssdError('PROVIDER_UNAVAILABLE', 'down');
    const { sender, calls } = scriptedSender(throws(down), answer());
    const outbox = started(sender, {
      pollIntervalMs: 3_600_000,
      now: () => t,
      backoff: { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: false },
    });
    outbox.start();
    await outbox.flush();
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await expect.poll(async () => (await outbox.get('k'))?.attempts, { timeout: 2_000, interval: 2 }).toBe(1);
    // Due again, but only the next poll (an hour away) or a new item may pick it up.
    t += 1_000;
    expect(await outbox.enqueue({ to: [jane], text: 'x' }, 'k')).toEqual({ queued: false });
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toHaveLength(1);
    await outbox.enqueue({ to: [jane], text: 'y' }, 'k2');
    await expect.poll(() => calls.length, { timeout: 2_000, interval: 2 }).toBe(3);
  });

  it('starts one poller however often it is started', async () => {
    const { sender, calls } = scriptedSender(answer());
    const outbox = started(sender, { pollIntervalMs: 5 });
    outbox.start();
    outbox.start();
    await outbox.stop();
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toHaveLength(0);
  });

  it('does not deliver an item enqueued just before stop', async () => {
    const { sender, calls } = scriptedSender(answer());
    const outbox = started(sender, { pollIntervalMs: 3_600_000 });
    outbox.start();
    await outbox.flush();
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    const stopped = outbox.stop();
    await new Promise((r) => setTimeout(r, 20));
    await stopped;
    expect(calls).toHaveLength(0);
    expect((await outbox.get('k'))?.status).toBe('pending');
  });

  it('logs a failed poll and keeps polling', async () => {
    const { logger, entries } = recordingLogger();
    observed.failing.add('claimDue');
    const outbox = started(scriptedSender(answer()).sender, { pollIntervalMs: 5, logger });
    outbox.start();
    await expect.poll(() => observed.claims.length, { timeout: 2_000, interval: 2 }).toBeGreaterThan(1);
    await outbox.stop();
    expect(entries[0]).toMatchObject({ level: 'error', msg: 'outbox poll failed' });
    expect(entries[0]?.obj.err).toMatchObject({ message: 'database is down' });
  });
});
