import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UssdError, type UssdErrorCode } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { OutboxStore } from '../ports/outbox.js';
import type { SendContext, SmsMessage, SmsRecipientResult, SmsResult, SmsSender } from '../ports/sms.js';
import { africasTalkingSms } from '../providers/africastalking-sms.js';
import { type FakeAfricasTalking, fakeAfricasTalking } from '../testing/fakes/fake-africastalking.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { memoryOutboxStore } from './memory-outbox-store.js';
import { createSmsOutbox, type SmsOutboxOptions } from './sms-outbox.js';

const jane = '+254711000111';
const otieno = '+254722000222';
const wanjiru = '+254733000333';

/** What a scripted sender does on a call: answer, or throw the error or text given. */
type Reply = (message: SmsMessage) => SmsResult | Error | string;

/** An SmsSender double that answers from a script, one entry per call (the last repeats), and remembers every call. */
function scriptedSender(...script: Reply[]) {
  const calls: Array<{ message: SmsMessage; ctx: SendContext }> = [];
  const sender: SmsSender = {
    name: 'scripted',
    async send(message, ctx) {
      calls.push({ message: structuredClone(message), ctx });
      const reply = script[Math.min(calls.length - 1, script.length - 1)];
      if (!reply) throw new Error('script is empty');
      const out = reply(message);
      if (out instanceof Error || typeof out === 'string') throw out;
      return out;
    },
  };
  return { sender, calls };
}

/** Every recipient answered with the status given for it (accepted by default), a reason and a message id. */
const result =
  (status: Record<string, SmsRecipientResult['status']> = {}): Reply =>
  (message) => ({
    recipients: message.to.map((to) => ({
      to,
      status: status[to] ?? 'accepted',
      reason: (status[to] ?? 'accepted') === 'accepted' ? 'Success' : 'InternalServerError',
      messageId: `id-${to}`,
    })),
  });
/** Every recipient answered with the status and reason given for it; no reason when none is given. */
const withReasons =
  (status: Record<string, [SmsRecipientResult['status'], string?]> = {}): Reply =>
  (message) => ({
    recipients: message.to.map((to) => {
      const [s, reason] = status[to] ?? ['accepted', 'Success'];
      return reason === undefined ? { to, status: s } : { to, status: s, reason };
    }),
  });
const fails =
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

describe('createSmsOutbox', () => {
  let t: number;
  let observed: ReturnType<typeof observedStore>;
  let store: OutboxStore;
  const now = () => t;
  const outboxWith = (sender: SmsSender, options: Partial<SmsOutboxOptions> = {}) =>
    createSmsOutbox({
      store,
      sender,
      now,
      backoff: { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: false },
      ...options,
    });

  beforeEach(() => {
    t = 1_000_000;
    observed = observedStore();
    store = observed.store;
  });

  it('records first and sends only when flushed, with the key as idempotency key', async () => {
    const { sender, calls } = scriptedSender(result());
    const outbox = outboxWith(sender);
    expect(await outbox.enqueue({ to: [jane], text: 'Receipt' }, 'receipt:1')).toEqual({ queued: true });
    expect(await outbox.get('receipt:1')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(calls).toHaveLength(0);
    await outbox.flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.ctx.idempotencyKey).toBe('receipt:1');
    expect(await outbox.get('receipt:1')).toMatchObject({
      status: 'sent',
      attempts: 1,
      result: { recipients: [{ to: jane, status: 'accepted' }] },
    });
  });

  it('sends a key at most once, however often it is enqueued or flushed', async () => {
    const { sender, calls } = scriptedSender(result());
    const outbox = outboxWith(sender);
    expect(await outbox.enqueue({ to: [jane], text: 'a' }, 'k')).toEqual({ queued: true });
    expect(await outbox.enqueue({ to: [jane], text: 'b' }, 'k')).toEqual({ queued: false });
    await outbox.flush();
    await outbox.enqueue({ to: [jane], text: 'c' }, 'k');
    await outbox.flush();
    expect(calls.map((c) => c.message.text)).toEqual(['a']);
  });

  it('retries a PROVIDER_UNAVAILABLE with exponential backoff, then sends', async () => {
    const down = new UssdError('PROVIDER_UNAVAILABLE', 'down');
    const { sender, calls } = scriptedSender(fails(down), fails(down), result());
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: t + 1_000,
      lastError: 'PROVIDER_UNAVAILABLE: down',
    });
    await outbox.flush();
    expect(calls).toHaveLength(1);
    t += 1_000;
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({ attempts: 2, nextAttemptAt: t + 2_000 });
    t += 2_000;
    await outbox.flush();
    expect(calls).toHaveLength(3);
    expect(await outbox.get('k')).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('caps the backoff and spreads it with jitter', async () => {
    const down = new UssdError('PROVIDER_UNAVAILABLE', 'down');
    const { sender } = scriptedSender(fails(down));
    const capped = outboxWith(sender, { backoff: { baseMs: 1_000, factor: 10, maxMs: 5_000, jitter: false } });
    await capped.enqueue({ to: [jane], text: 'x' }, 'k');
    const steps: number[] = [];
    for (let i = 0; i < 3; i++) {
      await capped.flush();
      const next = (await capped.get('k'))?.nextAttemptAt ?? t;
      steps.push(next - t);
      t = next;
    }
    expect(steps).toEqual([1_000, 5_000, 5_000]);
    const jittered = outboxWith(sender, { backoff: { baseMs: 1_000, factor: 2, maxMs: 60_000, jitter: true } });
    const delays = new Set<number>();
    for (let i = 0; i < 20; i++) {
      await jittered.enqueue({ to: [jane], text: 'x' }, `j${i}`);
    }
    await jittered.flush();
    for (let i = 0; i < 20; i++) {
      const delay = ((await jittered.get(`j${i}`))?.nextAttemptAt ?? 0) - t;
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(1_000);
      delays.add(delay);
    }
    expect(delays.size).toBeGreaterThan(1);
  });

  it('retries only the recipients still retryable and never texts an accepted one twice', async () => {
    const { sender, calls } = scriptedSender(result({ [otieno]: 'retryable', [wanjiru]: 'failed' }), result());
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane, otieno, wanjiru], text: 'Outage tonight' }, 'alert');
    await outbox.flush();
    expect(await outbox.get('alert')).toMatchObject({
      status: 'pending',
      progress: {
        remaining: [otieno],
        settled: [
          { to: jane, status: 'accepted' },
          { to: wanjiru, status: 'failed' },
        ],
      },
    });
    t += 1_000;
    await outbox.flush();
    expect(calls.map((c) => c.message.to)).toEqual([[jane, otieno, wanjiru], [otieno]]);
    const item = await outbox.get('alert');
    expect(item?.status).toBe('sent');
    expect(item?.result?.recipients.map((r) => [r.to, r.status])).toEqual([
      [jane, 'accepted'],
      [wanjiru, 'failed'],
      [otieno, 'accepted'],
    ]);
  });

  it('keeps the progress across a whole-request failure in between', async () => {
    const down = new UssdError('PROVIDER_UNAVAILABLE', 'down');
    const { sender, calls } = scriptedSender(result({ [otieno]: 'retryable' }), fails(down), result());
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane, otieno], text: 'x' }, 'k');
    for (let i = 0; i < 3; i++) {
      await outbox.flush();
      t += 10_000;
    }
    expect(calls.map((c) => c.message.to)).toEqual([[jane, otieno], [otieno], [otieno]]);
    expect((await outbox.get('k'))?.status).toBe('sent');
  });

  it('marks an item failed when every recipient is refused', async () => {
    const { sender } = scriptedSender(result({ [jane]: 'failed' }));
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    expect(await outbox.get('k')).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await outbox.get('k'))?.lastError).toContain('no recipient accepted');
  });

  it.each(['PROVIDER_REJECTED', 'PROVIDER_AUTH'] as const)(
    'marks an item failed on %s without retrying',
    async (code) => {
      const { sender, calls } = scriptedSender(fails(new UssdError(code, 'no')));
      const outbox = outboxWith(sender);
      await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
      await outbox.flush();
      t += 3_600_000;
      await outbox.flush();
      expect(calls).toHaveLength(1);
      expect(await outbox.get('k')).toMatchObject({ status: 'failed', lastError: `${code}: no` });
    },
  );

  it('retries an unexpected error, since it may pass', async () => {
    const { sender, calls } = scriptedSender(fails(new Error('socket hang up')), result());
    const outbox = outboxWith(sender);
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await outbox.flush();
    t += 1_000;
    await outbox.flush();
    expect(calls).toHaveLength(2);
    expect((await outbox.get('k'))?.status).toBe('sent');
  });

  it('gives up after maxAttempts', async () => {
    const { sender, calls } = scriptedSender(result({ [jane]: 'retryable' }));
    const outbox = outboxWith(sender, { maxAttempts: 3 });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    for (let i = 0; i < 5; i++) {
      await outbox.flush();
      t += 60_000;
    }
    expect(calls).toHaveLength(3);
    const item = await outbox.get('k');
    expect(item).toMatchObject({ status: 'failed', attempts: 3 });
    expect(item?.lastError).toContain('gave up after 3 attempts');
    expect(item?.result?.recipients).toEqual([expect.objectContaining({ to: jane, status: 'retryable' })]);
  });

  it('ends a flush even when every send fails and time stands still', async () => {
    const { sender, calls } = scriptedSender(fails(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
    const outbox = outboxWith(sender, { backoff: { baseMs: 0, factor: 2, maxMs: 0, jitter: false } });
    for (let i = 0; i < 30; i++) await outbox.enqueue({ to: [jane], text: `${i}` }, `k${i}`);
    await outbox.flush();
    expect(calls).toHaveLength(30);
  });

  it('lets two workers on one store send each item once', async () => {
    const { sender, calls } = scriptedSender(result());
    const slow: SmsSender = {
      name: 'slow',
      send: async (m, c) => {
        await new Promise((r) => setTimeout(r, 5));
        return sender.send(m, c);
      },
    };
    const a = outboxWith(slow, { batchSize: 3 });
    const b = outboxWith(slow, { batchSize: 3 });
    for (let i = 0; i < 12; i++) await a.enqueue({ to: [jane], text: `${i}` }, `k${i}`);
    await Promise.all([a.flush(), b.flush()]);
    expect(calls.map((c) => c.message.text).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `${i}`).sort());
  });

  it('claims only what it can send at once, so a slow gateway never lets a claimed item outlive its lease', async () => {
    // Each send takes 1 s on the clock and the lease is 3 s. Were 20 items claimed at once, the later ones would
    // wait past their lease while still queued here, and a second node would claim and send them as well.
    const sent: string[] = [];
    const accepted = (message: SmsMessage): SmsResult => ({
      recipients: message.to.map((to) => ({ to, status: 'accepted', reason: 'Success' })),
    });
    let other: ReturnType<typeof outboxWith> | undefined;
    const slow: SmsSender = {
      name: 'slow',
      async send(message, ctx) {
        sent.push(ctx.idempotencyKey);
        t += 1_000;
        // Four seconds in, a second node polls while this send is still out.
        if (sent.length === 4) await other?.flush();
        return accepted(message);
      },
    };
    const quick: SmsSender = {
      name: 'quick',
      async send(message, ctx) {
        sent.push(ctx.idempotencyKey);
        return accepted(message);
      },
    };
    const a = outboxWith(slow, { leaseMs: 3_000, concurrency: 1 });
    other = outboxWith(quick, { leaseMs: 3_000, concurrency: 1 });
    for (let i = 0; i < 10; i++) await a.enqueue({ to: [jane], text: `${i}` }, `k${i}`);
    await a.flush();
    expect(sent).toHaveLength(10);
    expect(new Set(sent).size).toBe(10);
  });

  it('delivers promptly after enqueue once started, retries on its own, and stops', async () => {
    const down = new UssdError('PROVIDER_UNAVAILABLE', 'down');
    const { sender, calls } = scriptedSender(fails(down), result());
    const outbox = createSmsOutbox({
      store,
      sender,
      pollIntervalMs: 5,
      backoff: { baseMs: 20, factor: 2, maxMs: 100, jitter: false },
    });
    outbox.start();
    try {
      await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
      await expect.poll(async () => (await outbox.get('k'))?.status, { timeout: 2_000, interval: 5 }).toBe('sent');
      expect(calls).toHaveLength(2);
    } finally {
      await outbox.stop();
    }
    await outbox.enqueue({ to: [jane], text: 'y' }, 'after-stop');
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toHaveLength(2);
  });

  it('refuses an item without key, recipient or text', async () => {
    const outbox = outboxWith(scriptedSender(result()).sender);
    await expect(outbox.enqueue({ to: [jane], text: 'x' }, '')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(outbox.enqueue({ to: [], text: 'x' }, 'k')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(outbox.enqueue({ to: [jane], text: '' }, 'k')).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('logs masked numbers only', async () => {
    const lines: string[] = [];
    const write = (obj: Record<string, unknown>, msg?: string) => lines.push(JSON.stringify({ msg, ...obj }));
    const logger: Logger = { debug: write, info: write, warn: write, error: write };
    const { sender } = scriptedSender(result({ [otieno]: 'retryable', [wanjiru]: 'failed' }), result());
    const outbox = outboxWith(sender, { logger });
    await outbox.enqueue({ to: [jane, otieno, wanjiru], text: 'x' }, 'k');
    await outbox.flush();
    t += 1_000;
    await outbox.flush();
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const phone of [jane, otieno, wanjiru]) expect(all).not.toContain(phone);
  });

  describe('outcomes, error texts and logs', () => {
    it.each(['PROVIDER_RESPONSE', 'CONFIG', 'INVALID_REQUEST'] as UssdErrorCode[])(
      'fails an item on %s at once, since no retry can fix it',
      async (code) => {
        const { sender, calls } = scriptedSender(fails(new UssdError(code, 'bad')));
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
      const { sender, calls } = scriptedSender(fails('socket closed'), fails(new UssdError('STORE', 'odd')));
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
      const { sender, calls } = scriptedSender(fails(new Error('boom')));
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
        withReasons({
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
        withReasons({
          [jane]: ['failed', 'UserInBlacklist'],
          [otieno]: ['failed', 'UserInBlacklist'],
          [wanjiru]: ['failed'],
        }),
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
      const { sender } = scriptedSender(withReasons({ [otieno]: ['failed', 'InvalidPhoneNumber'] }));
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
      const { sender } = scriptedSender(fails(down), result());
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
        fails(new UssdError('PROVIDER_AUTH', 'bad key')),
        withReasons({ [jane]: ['failed', 'UserInBlacklist'] }),
        fails(new Error('boom')),
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
      const { sender, calls } = scriptedSender(result());
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
      expect(calls.map((c) => c.message.text)).toEqual(['a', 'b', 'a']);
      expect((await outbox.get('a'))?.status).toBe('sent');
    });

    it('refuses an empty key, naming the field', async () => {
      const outbox = outboxWith(scriptedSender(result()).sender);
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

  describe('defaults and limits', () => {
    const withDefaults = (sender: SmsSender, options: Partial<SmsOutboxOptions> = {}) =>
      createSmsOutbox({ store, sender, now, ...options });

    it('claims up to 4 items with a 60 s lease by default', async () => {
      const outbox = withDefaults(scriptedSender(result()).sender);
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
      const outbox = withDefaults(scriptedSender(result()).sender, options);
      await outbox.flush();
      expect(observed.claims[0]?.[1]).toBe(size);
    });

    it('takes its lease from the options', async () => {
      const outbox = withDefaults(scriptedSender(result()).sender, { leaseMs: 7_000 });
      await outbox.flush();
      expect(observed.claims[0]?.[2]).toBe(7_000);
    });

    it('claims at the current time, not at the time the flush began', async () => {
      const slow: SmsSender = {
        name: 'slow',
        async send(message) {
          t += 5_000;
          return result()(message) as SmsResult;
        },
      };
      const outbox = withDefaults(slow, { concurrency: 1 });
      await outbox.enqueue({ to: [jane], text: 'a' }, 'a');
      await outbox.enqueue({ to: [jane], text: 'b' }, 'b');
      await outbox.flush();
      expect(observed.claims.map(([at]) => at)).toEqual([1_000_000, 1_005_000, 1_010_000]);
    });

    it('tries 8 times by default before it gives up', async () => {
      const { sender, calls } = scriptedSender(fails(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
      const outbox = withDefaults(sender);
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
      const { sender, calls } = scriptedSender(fails(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
      const outbox = withDefaults(sender, { maxAttempts: 0 });
      await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
      await outbox.flush();
      t += 3_600_000;
      await outbox.flush();
      expect(calls).toHaveLength(1);
      expect(await outbox.get('k')).toMatchObject({ status: 'failed', attempts: 1 });
    });

    it('waits 1 s, then 2 s, then 4 s by default when jitter is turned off', async () => {
      const { sender } = scriptedSender(fails(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
      const outbox = withDefaults(sender, { backoff: { jitter: false } });
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
      const { sender } = scriptedSender(fails(new UssdError('PROVIDER_UNAVAILABLE', 'down')));
      const random = vi.spyOn(Math, 'random').mockReturnValue(0);
      try {
        const outbox = withDefaults(sender, { maxAttempts: 20 });
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
    const { sender, calls } = scriptedSender(result());
    const outbox = started(sender, { pollIntervalMs: 3_600_000 });
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    outbox.start();
    await expect.poll(() => calls.length, { timeout: 2_000, interval: 2 }).toBe(1);
  });

  it('polls every second by default', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const outbox = started(scriptedSender(result()).sender);
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
    const { sender, calls } = scriptedSender(result());
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
    const { sender, calls } = scriptedSender(fails(down), result());
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
    const { sender, calls } = scriptedSender(result());
    const outbox = started(sender, { pollIntervalMs: 5 });
    outbox.start();
    outbox.start();
    await outbox.stop();
    await outbox.enqueue({ to: [jane], text: 'x' }, 'k');
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toHaveLength(0);
  });

  it('does not deliver an item enqueued just before stop', async () => {
    const { sender, calls } = scriptedSender(result());
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
    const outbox = started(scriptedSender(result()).sender, { pollIntervalMs: 5, logger });
    outbox.start();
    await expect.poll(() => observed.claims.length, { timeout: 2_000, interval: 2 }).toBeGreaterThan(1);
    await outbox.stop();
    expect(entries[0]).toMatchObject({ level: 'error', msg: 'outbox poll failed' });
    expect(entries[0]?.obj.err).toMatchObject({ message: 'database is down' });
  });
});

describe("SMS outbox with the Africa's Talking client and the fake over HTTP", () => {
  let fake: FakeAfricasTalking;
  let t: number;
  beforeEach(async () => {
    t = 1_000_000;
    fake = fakeAfricasTalking();
    await fake.start();
  });
  afterEach(() => fake.close());
  const outbox = () =>
    createSmsOutbox({
      store: memoryOutboxStore(),
      sender: africasTalkingSms({ username: fake.username, apiKey: fake.apiKey, baseUrl: fake.url, retryBaseMs: 1 }),
      now: () => t,
      backoff: { baseMs: 1_000, factor: 2, maxMs: 30_000, jitter: false },
      maxAttempts: 20,
    });

  it('delivers exactly one SMS when the provider answers 500 three times and then succeeds', async () => {
    fake.failNext(3, 500);
    const box = outbox();
    await box.enqueue({ to: [jane], text: 'Payment received: KES 984' }, 'receipt:BILL-1');
    await box.flush();
    expect(await box.get('receipt:BILL-1')).toMatchObject({ status: 'pending', attempts: 1 });
    expect(fake.sent).toHaveLength(0);
    t += 1_000;
    await box.flush();
    expect(fake.requests.map((r) => r.status)).toEqual([201, 500, 500, 500]);
    expect(fake.messagesTo(jane).map((m) => m.text)).toEqual(['Payment received: KES 984']);
    expect(await box.get('receipt:BILL-1')).toMatchObject({ status: 'sent', attempts: 2 });
    t += 60_000;
    await box.flush();
    expect(fake.sent).toHaveLength(1);
  });

  it('keeps a message pending while the provider is down, and delivers it once when it is back', async () => {
    fake.failNext(Number.POSITIVE_INFINITY, 503);
    const box = outbox();
    await box.enqueue({ to: [jane], text: 'Leak report received' }, 'ack:R-77');
    for (let i = 0; i < 4; i++) {
      await box.flush();
      t += 30_000;
    }
    expect(await box.get('ack:R-77')).toMatchObject({ status: 'pending', attempts: 4 });
    expect((await box.get('ack:R-77'))?.lastError).toContain('PROVIDER_UNAVAILABLE');
    expect(fake.sent).toHaveLength(0);
    fake.recover();
    await box.flush();
    await box.flush();
    expect(fake.messagesTo(jane).map((m) => m.text)).toEqual(['Leak report received']);
    expect(await box.get('ack:R-77')).toMatchObject({ status: 'sent', attempts: 5 });
  });

  it('resends only to the recipient AT could not take', async () => {
    fake.failRecipient(otieno, 1, 500);
    const box = outbox();
    await box.enqueue({ to: [jane, otieno], text: 'Water off 9-12' }, 'outage:1');
    await box.flush();
    t += 1_000;
    await box.flush();
    expect(fake.messagesTo(jane)).toHaveLength(1);
    expect(fake.messagesTo(otieno)).toHaveLength(1);
    expect((await box.get('outage:1'))?.status).toBe('sent');
  });

  it('fails an InvalidSenderId message for good without retrying', async () => {
    await fake.close();
    fake = fakeAfricasTalking({ allowedSenders: ['ROLAX'] });
    await fake.start();
    const box = outbox();
    await box.enqueue({ to: [jane], text: 'x', from: 'SPOOF' }, 'k');
    await box.flush();
    t += 3_600_000;
    await box.flush();
    expect(fake.requests).toHaveLength(1);
    const item = await box.get('k');
    expect(item?.status).toBe('failed');
    expect(item?.lastError).toContain('InvalidSenderId');
  });
});
