// @ts-nocheck
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError, type UssdError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import { smsSenderContract } from '../testing/contracts/sms-sender.js';
import { type FakeAfricasTalking, fakeAfricasTalking } from '../testing/fakes/fake-africastalking.js';
import { type AfricasTalkingSmsOptions, africasTalkingSms, recipientStatus } from './africastalking-sms.js';

const jane = '+254711000111';
const otieno = '+254722000222';

smsSenderContract("Africa's Talking client against the fake", async () => {
  const fake = fakeAfricasTalking();
  await fake.start();
  return {
    sender: africasTalkingSms({ username: fake.username, apiKey: fake.apiKey, baseUrl: fake.url, retryBaseMs: 1 }),
    recipients: [jane, otieno],
    invalidRecipient: '0711-000',
    received: async (phone) => fake.messagesTo(phone).map((m) => m.text),
    teardown: () => fake.close(),
  };
});

function recordingLogger() {
  const lines: string[] = [];
  const write = (obj: Record<string, unknown>, msg?: string) => {
    lines.push(JSON.stringify({ msg, ...obj }, (_k, v) => (v instanceof Error ? { message: v.message } : v)));
  };
  const logger: Logger = { debug: write, info: write, warn: write, error: write };
  return { logger, lines };
}

async function failure(promise: Promise<unknown>): Promise<UssdError> {
  try {
    await promise;
  } catch (err) {
    if (isUssdError(err)) return err;
    throw err;
  }
  throw new Error('expected a UssdError');
}

describe("africasTalkingSms against the fake Africa's Talking", () => {
  let fake: FakeAfricasTalking;
  const client = (overrides: Partial<AfricasTalkingSmsOptions> = {}) =>
    africasTalkingSms({
      username: fake.username,
      apiKey: fake.apiKey,
      retryBaseMs: 1,
      ...overrides,
      baseUrl: overrides.baseUrl ?? fake.url,
    });
  const ctx = { idempotencyKey: 'k1' };

  beforeEach(async () => {
    fake = fakeAfricasTalking({ allowedSenders: ['ROLAX'] });
    await fake.start();
  });
  afterEach(() => fake.close());

  it('sends the form fields and the default sender, and maps the 201 body', async () => {
    const result = await client({ from: 'ROLAX' }).send({ to: [jane], text: 'Bill paid' }, ctx);
    expect(result.recipients).toEqual([
      {
        to: jane,
        status: 'accepted',
        messageId: expect.stringMatching(/^ATXid_[0-9a-f]{32}$/),
        reason: 'Success',
        providerCode: 101,
        cost: 'KES 0.8000',
      },
    ]);
    expect(fake.messagesTo(jane)).toEqual([expect.objectContaining({ text: 'Bill paid', from: 'ROLAX' })]);
    expect(fake.messagesTo(jane)[0]?.messageId).toBe(result.recipients[0]?.messageId);
  });

  it('lets a message choose its own sender over the default', async () => {
    await client({ from: 'NOPE' }).send({ to: [jane], text: 'hi', from: 'ROLAX' }, ctx);
    expect(fake.sent[0]?.from).toBe('ROLAX');
  });

  it('maps recipients one by one: accepted, failed with the status text, retryable', async () => {
    fake.failRecipient(otieno, 1, 502);
    const result = await client().send({ to: [jane, 'not-a-number', otieno], text: 'Outage' }, ctx);
    expect(result.recipients.map((r) => [r.to, r.status, r.reason, r.providerCode])).toEqual([
      [jane, 'accepted', 'Success', 101],
      ['not-a-number', 'failed', 'InvalidPhoneNumber', 403],
      [otieno, 'retryable', 'RejectedByGateway', 502],
    ]);
    expect(result.recipients[1]?.messageId).toBeUndefined();
    expect(fake.sent.map((m) => m.to)).toEqual([jane]);
  });

  it.each([
    [100, 'accepted'],
    [101, 'accepted'],
    [102, 'accepted'],
    [401, 'failed'],
    [402, 'failed'],
    [403, 'failed'],
    [405, 'failed'],
    [406, 'failed'],
    [409, 'failed'],
    [500, 'retryable'],
    [501, 'retryable'],
    [502, 'retryable'],
  ])('treats recipient status code %i as %s', (code, status) => {
    expect(recipientStatus(code)).toBe(status);
  });

  it('turns HTTP 401 into PROVIDER_AUTH and does not retry it', async () => {
    const err = await failure(client({ apiKey: 'wrong-key' }).send({ to: [jane], text: 'x' }, ctx));
    expect(err.code).toBe('PROVIDER_AUTH');
    expect(err.message).not.toContain('wrong-key');
    expect(fake.requests).toHaveLength(1);
  });

  it('turns InvalidSenderId with no recipients into PROVIDER_REJECTED naming the sender', async () => {
    const err = await failure(client().send({ to: [jane], text: 'x', from: 'SPOOF' }, ctx));
    expect(err.code).toBe('PROVIDER_REJECTED');
    expect(err.message).toContain('InvalidSenderId');
    expect(err.message).toContain('"SPOOF"');
    expect(fake.sent).toHaveLength(0);
  });

  it('retries a whole-request 500 and sends once', async () => {
    fake.failNext(2, 500);
    const result = await client().send({ to: [jane], text: 'after two 500s' }, ctx);
    expect(result.recipients[0]?.status).toBe('accepted');
    expect(fake.requests.map((r) => r.status)).toEqual([201, 500, 500]);
    expect(fake.messagesTo(jane)).toHaveLength(1);
  });

  it('retries 429 as well', async () => {
    fake.failNext(1, 429);
    await client().send({ to: [jane], text: 'after a 429' }, ctx);
    expect(fake.requests.map((r) => r.status)).toEqual([201, 429]);
  });

  it('gives up after the configured retries with PROVIDER_UNAVAILABLE', async () => {
    fake.failNext(Number.POSITIVE_INFINITY, 503);
    const err = await failure(client({ retries: 3 }).send({ to: [jane], text: 'x' }, ctx));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.details).toMatchObject({ status: 503 });
    expect(fake.requests).toHaveLength(4);
  });

  it('never retries a 4xx', async () => {
    fake.failNext(1, 400);
    const err = await failure(client().send({ to: [jane], text: 'x' }, ctx));
    expect(err.code).toBe('PROVIDER_REJECTED');
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a connection failure and then reports PROVIDER_UNAVAILABLE', async () => {
    const url = fake.url;
    await fake.close();
    const err = await failure(client({ baseUrl: url, retries: 1 }).send({ to: [jane], text: 'x' }, ctx));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.details).toMatchObject({ failure: 'network' });
  });

  it('times out a slow answer without retrying it, since AT may already have sent the SMS', async () => {
    fake.delay(300);
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 60 }).send({ to: [jane], text: 'slow' }, ctx));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.details).toMatchObject({ failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(250);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests).toHaveLength(1);
    expect(fake.messagesTo(jane)).toHaveLength(1);
  });

  it("honours the caller's signal, also while waiting to retry", async () => {
    fake.failNext(Number.POSITIVE_INFINITY, 500);
    const controller = new AbortController();
    const sending = client({ retryBaseMs: 5_000 }).send(
      { to: [jane], text: 'x' },
      { ...ctx, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const err = await failure(sending);
    expect(err.details).toMatchObject({ failure: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses an empty recipient list and missing credentials', async () => {
    expect((await failure(client().send({ to: [], text: 'x' }, ctx))).code).toBe('INVALID_REQUEST');
    expect(() => africasTalkingSms({ username: '', apiKey: 'k' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    expect(() => africasTalkingSms({ username: 'u', apiKey: '' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
  });

  it('never logs the apiKey or a full phone number', async () => {
    const { logger, lines } = recordingLogger();
    fake.failNext(1, 500);
    await client({ logger }).send({ to: [jane, otieno], text: 'secret-free' }, ctx);
    await failure(client({ logger, apiKey: 'sk_live_DO_NOT_LOG' }).send({ to: [jane], text: 'x' }, ctx));
    const url = fake.url;
    await fake.close();
    await failure(client({ logger, baseUrl: url, retries: 0 }).send({ to: [jane], text: 'x' }, ctx));
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(2);
    expect(all).not.toContain(fake.apiKey);
    expect(all).not.toContain('DO_NOT_LOG');
    expect(all).not.toContain(jane);
    expect(all).not.toContain(otieno);
    expect(all).toContain('+254711***111');
  });
});
