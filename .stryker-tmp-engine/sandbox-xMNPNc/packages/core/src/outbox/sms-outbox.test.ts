// @ts-nocheck
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UssdError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { OutboxStore } from '../ports/outbox.js';
import type { SendContext, SmsMessage, SmsRecipientResult, SmsResult, SmsSender } from '../ports/sms.js';
import { africasTalkingSms } from '../providers/africastalking-sms.js';
import { type FakeAfricasTalking, fakeAfricasTalking } from '../testing/fakes/fake-africastalking.js';
import { memoryOutboxStore } from './memory-outbox-store.js';
import { createSmsOutbox, type SmsOutboxOptions } from './sms-outbox.js';

const jane = '+254711000111';
const otieno = '+254722000222';
const wanjiru = '+254733000333';

type Reply = (message: SmsMessage) => SmsResult | Error;

/** An SmsSender double that answers from a script, one entry per call, and remembers every call. */
function scriptedSender(...script: Reply[]) {
  const calls: Array<{ message: SmsMessage; ctx: SendContext }> = [];
  const sender: SmsSender = {
    name: 'scripted',
    async send(message, ctx) {
      calls.push({ message: structuredClone(message), ctx });
      const reply = script[Math.min(calls.length - 1, script.length - 1)];
      if (!reply) throw new Error('script is empty');
      const out = reply(message);
      if (out instanceof Error) throw out;
      return out;
    },
  };
  return { sender, calls };
}

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
const fails =
  (err: Error): Reply =>
  () =>
    err;

describe('createSmsOutbox', () => {
  let t: number;
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
    store = memoryOutboxStore();
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
