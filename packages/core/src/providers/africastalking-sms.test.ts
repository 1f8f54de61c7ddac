import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError, type UssdError } from '../errors.js';
import { smsSenderContract } from '../testing/contracts/sms-sender.js';
import { type FakeAfricasTalking, fakeAfricasTalking } from '../testing/fakes/fake-africastalking.js';
import { redirectTo, type Scripted, scriptedServer } from '../testing/local-http.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { type AfricasTalkingSmsOptions, africasTalkingSms, recipientStatus } from './africastalking-sms.js';

const jane = '+254711000111';
const otieno = '+254722000222';
const ctx = { idempotencyKey: 'k1' };

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

/** Every log call, as written and as one JSON line (errors by their message). */

async function failure(promise: Promise<unknown>): Promise<UssdError> {
  try {
    await promise;
  } catch (err) {
    if (isUssdError(err)) return err;
    throw err;
  }
  throw new Error('expected a UssdError');
}

const accepted = (number: string, statusCode: number | string = 101) =>
  JSON.stringify({
    SMSMessageData: {
      Message: 'Sent to 1/1 Total Cost: KES 0.8000',
      Recipients: [{ statusCode, number, status: 'Success', cost: 'KES 0.8000', messageId: 'ATXid_1' }],
    },
  });

describe('recipientStatus', () => {
  it.each([
    [99, 'failed'],
    [100, 'accepted'],
    [101, 'accepted'],
    [102, 'accepted'],
    [103, 'failed'],
    [401, 'failed'],
    [402, 'failed'],
    [403, 'failed'],
    [405, 'failed'],
    [406, 'failed'],
    [409, 'failed'],
    [499, 'failed'],
    [500, 'retryable'],
    [501, 'retryable'],
    [502, 'retryable'],
    [503, 'failed'],
  ])('treats recipient status code %i as %s', (code, status) => {
    expect(recipientStatus(code)).toBe(status);
  });
});

describe('africasTalkingSms configuration', () => {
  it('names the missing credential', () => {
    expect(() => africasTalkingSms({ username: '', apiKey: 'k' })).toThrow("Africa's Talking: username is required");
    expect(() => africasTalkingSms({ username: 'u', apiKey: '' })).toThrow("Africa's Talking: apiKey is required");
  });
});

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

  describe('hosts', () => {
    /** The host one send was addressed to, delivered to the fake over a fresh connection. */
    const hostOf = async (options: Partial<AfricasTalkingSmsOptions>) => {
      const redirect = redirectTo(Number(new URL(fake.url).port));
      try {
        await africasTalkingSms({
          username: fake.username,
          apiKey: fake.apiKey,
          dispatcher: redirect.dispatcher,
          ...options,
        }).send({ to: [jane], text: 'hi' }, ctx);
      } finally {
        await redirect.dispatcher.close();
      }
      return redirect.targets;
    };

    it('talks to the live API by default and to the sandbox when asked', async () => {
      expect(await hostOf({})).toEqual(['https://api.africastalking.com']);
      expect(await hostOf({ sandbox: true })).toEqual(['https://api.sandbox.africastalking.com']);
      expect(await hostOf({ sandbox: false })).toEqual(['https://api.africastalking.com']);
      expect(fake.requests.map((r) => r.path)).toEqual([
        '/version1/messaging',
        '/version1/messaging',
        '/version1/messaging',
      ]);
    });
  });

  describe('wire form, default retries, error messages and logs', () => {
    it('accepts a base URL with trailing slashes', async () => {
      await client({ baseUrl: `${fake.url}//` }).send({ to: [jane], text: 'hi' }, ctx);
      expect(fake.requests.map((r) => r.path)).toEqual(['/version1/messaging']);
    });

    it('puts username, comma-joined recipients and text on the wire, and no sender unless one is set', async () => {
      await client().send({ to: [jane, otieno], text: 'Water off 9-12' }, ctx);
      const form = new URLSearchParams(fake.requests[0]?.body);
      expect([...form.entries()]).toEqual([
        ['username', 'sandbox'],
        ['to', `${jane},${otieno}`],
        ['message', 'Water off 9-12'],
      ]);
    });

    it('retries twice by default, then reports the last refusal with its status', async () => {
      fake.failNext(Number.POSITIVE_INFINITY, 503);
      const err = await failure(client().send({ to: [jane], text: 'x' }, ctx));
      expect(fake.requests).toHaveLength(3);
      expect(err.code).toBe('PROVIDER_UNAVAILABLE');
      expect(err.message).toBe("Africa's Talking answered HTTP 503");
      expect(err.details).toEqual({ provider: 'africastalking', status: 503 });
    });

    it.each([429, 500])('reports HTTP %i as PROVIDER_UNAVAILABLE when no retry is left', async (status) => {
      fake.failNext(1, status);
      const err = await failure(client({ retries: 0 }).send({ to: [jane], text: 'x' }, ctx));
      expect(err.code).toBe('PROVIDER_UNAVAILABLE');
      expect(err.details).toEqual({ provider: 'africastalking', status });
      expect(fake.requests).toHaveLength(1);
    });

    it('waits about the default 300 ms, spread down to half, before a retry', async () => {
      fake.failNext(1, 500);
      await africasTalkingSms({ username: fake.username, apiKey: fake.apiKey, baseUrl: fake.url, retries: 1 }).send(
        { to: [jane], text: 'x' },
        ctx,
      );
      const [second, first] = fake.requests;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(140);
    });

    it('reports a 401 without retrying, with its status', async () => {
      const err = await failure(client({ apiKey: 'wrong' }).send({ to: [jane], text: 'x' }, ctx));
      expect(err.message).toBe("Africa's Talking rejected the username or apiKey (HTTP 401)");
      expect(err.details).toEqual({ provider: 'africastalking', status: 401 });
    });

    it('reports another 4xx with an excerpt of the body', async () => {
      fake.failNext(1, 400);
      const err = await failure(client().send({ to: [jane], text: 'x' }, ctx));
      expect(err.code).toBe('PROVIDER_REJECTED');
      expect(err.message).toBe("Africa's Talking answered HTTP 400: Internal Server Error");
      expect(err.details).toEqual({ provider: 'africastalking', status: 400 });
    });

    it('logs each refused attempt, then the submission with masked statuses', async () => {
      const { logger, entries } = recordingLogger();
      fake.failNext(1, 500);
      fake.failRecipient(otieno, 1, 502);
      await client({ logger }).send({ to: [jane, otieno], text: 'x' }, { idempotencyKey: 'receipt:7' });
      expect(entries.map((e) => [e.level, e.msg])).toEqual([
        ['warn', 'SMS request refused, retrying'],
        ['info', 'SMS submitted'],
      ]);
      expect(entries[0]?.obj).toEqual({
        provider: 'africastalking',
        key: 'receipt:7',
        to: ['+254711***111', '+254722***222'],
        attempt: 0,
        status: 500,
      });
      expect(entries[1]?.obj).toEqual({
        provider: 'africastalking',
        key: 'receipt:7',
        to: ['+254711***111', '+254722***222'],
        attempts: 2,
        statuses: ['+254711***111:101', '+254722***222:502'],
      });
    });

    it('logs a connection failure it retries and the one it gives up on', async () => {
      const { logger, entries } = recordingLogger();
      const url = fake.url;
      await fake.close();
      await failure(client({ logger, baseUrl: url, retries: 1 }).send({ to: [jane], text: 'x' }, ctx));
      expect(entries.map((e) => [e.level, e.msg, e.obj.attempt])).toEqual([
        ['warn', 'SMS request failed to connect, retrying', 0],
        ['error', 'SMS request failed', 1],
      ]);
      expect(entries[1]?.obj).toMatchObject({ provider: 'africastalking', key: 'k1', to: ['+254711***111'] });
      expect(isUssdError(entries[1]?.obj.err)).toBe(true);
    });

    it('does not retry a timeout, and logs it as failed', async () => {
      const { logger, entries } = recordingLogger();
      fake.delay(300);
      const err = await failure(client({ logger, timeoutMs: 40 }).send({ to: [jane], text: 'x' }, ctx));
      expect(err.details).toMatchObject({ failure: 'timeout' });
      expect(entries.map((e) => [e.level, e.msg])).toEqual([['error', 'SMS request failed']]);
    });

    it('stops waiting for a retry when the caller aborts, with its own reason as cause', async () => {
      fake.failNext(1, 500);
      const controller = new AbortController();
      const reason = new Error('session over');
      const { logger, entries } = recordingLogger();
      const sending = client({ logger, retryBaseMs: 5_000 }).send(
        { to: [jane], text: 'x' },
        { ...ctx, signal: controller.signal },
      );
      // The warning is written just before the client starts waiting to retry.
      await expect.poll(() => entries.length, { interval: 2 }).toBe(1);
      controller.abort(reason);
      const err = await failure(sending);
      expect(err.code).toBe('PROVIDER_UNAVAILABLE');
      expect(err.message).toBe("Africa's Talking: request aborted by the caller");
      expect(err.details).toEqual({ provider: 'africastalking', failure: 'aborted' });
      expect(err.cause).toBe(reason);
    });

    it('names the field of an empty recipient list', async () => {
      const err = await failure(client().send({ to: [], text: 'x' }, ctx));
      expect(err.message).toBe('an SMS needs at least one recipient');
      expect(err.details).toEqual({ field: 'to' });
    });
  });
});

describe('africasTalkingSms on answers the full fake never gives', () => {
  let at: ReturnType<typeof scriptedServer> | undefined;
  afterEach(() => at?.close());
  const over = async (...script: Scripted[]) => {
    at = scriptedServer("scripted Africa's Talking", ...script);
    return africasTalkingSms({ username: 'sandbox', apiKey: 'k', baseUrl: await at.start(), retryBaseMs: 1 });
  };

  it('takes HTTP 200 as success too, and a numeric status code given as text', async () => {
    const sms = await over({ status: 200, body: accepted(jane, '102') });
    expect((await sms.send({ to: [jane], text: 'x' }, ctx)).recipients).toEqual([
      { to: jane, status: 'accepted', messageId: 'ATXid_1', reason: 'Success', providerCode: 102, cost: 'KES 0.8000' },
    ]);
  });

  it('leaves out a messageId of None and a missing cost', async () => {
    const body = JSON.stringify({
      SMSMessageData: { Message: 'Sent to 0/1', Recipients: [{ statusCode: 403, number: jane, status: 'Failed' }] },
    });
    const sms = await over({ status: 201, body });
    expect((await sms.send({ to: [jane], text: 'x' }, ctx)).recipients).toEqual([
      { to: jane, status: 'failed', messageId: undefined, reason: 'Failed', providerCode: 403, cost: undefined },
    ]);
  });

  it('reports a body it cannot read as PROVIDER_RESPONSE with an excerpt', async () => {
    const sms = await over({ status: 201, headers: { 'content-type': 'application/xml' }, body: '<AfricasTalking/>' });
    const err = await failure(sms.send({ to: [jane], text: 'x' }, ctx));
    expect(err.code).toBe('PROVIDER_RESPONSE');
    expect(err.message).toBe("Africa's Talking sent an unexpected body: <AfricasTalking/>");
    expect(err.details).toEqual({ provider: 'africastalking', status: 201 });
  });

  it('reports a JSON body of the wrong shape as PROVIDER_RESPONSE', async () => {
    const sms = await over({ status: 201, body: '{"SMSMessageData":{"Recipients":[{"number":1}]}}' });
    expect((await failure(sms.send({ to: [jane], text: 'x' }, ctx))).code).toBe('PROVIDER_RESPONSE');
  });

  it('gives the reason AT names when nobody was accepted, or says none was given', async () => {
    const refused = await over(
      { status: 201, body: '{"SMSMessageData":{"Message":"UserInBlacklist","Recipients":[]}}' },
      { status: 201, body: '{"SMSMessageData":{}}' },
    );
    const named = await failure(refused.send({ to: [jane], text: 'x' }, ctx));
    expect(named.code).toBe('PROVIDER_REJECTED');
    expect(named.message).toBe("Africa's Talking refused the message: no recipient was accepted (UserInBlacklist)");
    expect(named.details).toEqual({ provider: 'africastalking', message: 'UserInBlacklist' });
    const unnamed = await failure(refused.send({ to: [jane], text: 'x' }, ctx));
    expect(unnamed.message).toBe("Africa's Talking refused the message: no recipient was accepted (no reason given)");
  });

  it('says the default sender was refused when the message named none', async () => {
    const sms = await over({ status: 201, body: '{"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}}' });
    const err = await failure(sms.send({ to: [jane], text: 'x' }, ctx));
    expect(err.message).toBe(
      'Africa\'s Talking refused the message: sender id "(default)" is not registered for this account (InvalidSenderId)',
    );
  });

  it('retries a dropped connection and sends on the next attempt', async () => {
    const sms = await over('hang up', { status: 201, body: accepted(jane) });
    const result = await sms.send({ to: [jane], text: 'x' }, ctx);
    expect(result.recipients[0]?.status).toBe('accepted');
    expect(at?.seen).toHaveLength(2);
  });

  it('retries at once on Retry-After: 0, without waiting out the 5 s cap', async () => {
    const sms = await over(
      { status: 503, headers: { 'retry-after': '0' }, body: 'busy' },
      { status: 201, body: accepted(jane) },
    );
    const started = Date.now();
    expect((await sms.send({ to: [jane], text: 'x' }, ctx)).recipients[0]?.status).toBe('accepted');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(at?.seen).toHaveLength(2);
  });

  it('waits as long as Retry-After asks before retrying', async () => {
    const sms = await over(
      { status: 503, headers: { 'retry-after': '1' }, body: 'busy' },
      { status: 201, body: accepted(jane) },
    );
    const controller = new AbortController();
    const sending = sms.send({ to: [jane], text: 'x' }, { ...ctx, signal: controller.signal });
    // With a 1 ms backoff the retry would be out long before this; Retry-After holds it back for a second.
    await new Promise((r) => setTimeout(r, 150));
    controller.abort();
    expect((await failure(sending)).details).toMatchObject({ failure: 'aborted' });
    expect(at?.seen).toHaveLength(1);
  });
});
