import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError, type UssdError } from '../errors.js';
import type { Logger } from '../ports/logger.js';
import type { PaymentRequest } from '../ports/payments.js';
import { type FakeIntaSend, fakeIntaSend } from '../testing/fakes/fake-intasend.js';
import { loopback } from '../testing/fakes/loopback.js';
import { type IntasendPaymentsOptions, intasendPayments } from './intasend.js';

const phone = '+254711000111';
const ctx = { idempotencyKey: 'BILL-1' };
const bill = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  amount: 984,
  currency: 'KES',
  phoneNumber: phone,
  reference: 'BILL-1001-2026-11',
  narrative: 'Water bill',
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<UssdError> {
  try {
    await promise;
  } catch (err) {
    if (isUssdError(err)) return err;
    throw err;
  }
  throw new Error('expected a UssdError');
}

function thrown(fn: () => unknown): UssdError {
  try {
    fn();
  } catch (err) {
    if (isUssdError(err)) return err;
    throw err;
  }
  throw new Error('expected a UssdError');
}

/** Opens every connection to `port` on this machine while recording which host the client meant to reach. */
function redirectTo(port: number) {
  const targets: string[] = [];
  const dispatcher = new Agent({
    connect: (opts, callback) => {
      targets.push(`${opts.protocol}//${opts.hostname}`);
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => callback(null, socket));
      socket.once('error', (err) => callback(err, null));
    },
  });
  return { targets, dispatcher };
}

/** An IntaSend endpoint answering one fixed status and body, for answers the full fake never gives. */
function fixedIntaSend(status: number, body: string) {
  const seen: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  const listener = loopback(server, 'fixed IntaSend');
  return { seen, start: () => listener.start(), close: () => listener.close() };
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

const invoice = (overrides: Record<string, unknown> = {}) => ({
  invoice_id: 'BRZKGPR',
  state: 'PENDING',
  provider: 'M-PESA',
  value: '984.00',
  currency: 'KES',
  account: '254711000111',
  api_ref: 'BILL-1001-2026-11',
  mpesa_reference: null,
  failed_reason: null,
  failed_code: null,
  ...overrides,
});

describe('intasendPayments configuration', () => {
  it('names the missing setting', () => {
    const keys = { publishableKey: 'p', secretKey: 's', webhookChallenge: 'c' };
    expect(() => intasendPayments({ ...keys, publishableKey: '' })).toThrow('IntaSend: publishableKey is required');
    expect(() => intasendPayments({ ...keys, secretKey: '' })).toThrow('IntaSend: secretKey is required');
    expect(() => intasendPayments({ ...keys, webhookChallenge: '' })).toThrow('IntaSend: webhookChallenge is required');
  });

  describe('hosts', () => {
    const cases: Array<[string, Partial<IntasendPaymentsOptions>, string]> = [
      ['a _test_ key', { publishableKey: 'ISPubKey_test_fake' }, 'https://sandbox.intasend.com'],
      ['a _live_ key', { publishableKey: 'ISPubKey_live_fake' }, 'https://payment.intasend.com'],
      [
        'a _test_ key told live',
        { publishableKey: 'ISPubKey_test_fake', sandbox: false },
        'https://payment.intasend.com',
      ],
      [
        'a _live_ key told sandbox',
        { publishableKey: 'ISPubKey_live_fake', sandbox: true },
        'https://sandbox.intasend.com',
      ],
    ];
    it.each(cases)('sends %s to %s', async (_name, options, host) => {
      const publishableKey = options.publishableKey ?? '';
      const fake = fakeIntaSend({ publishableKey });
      await fake.start();
      const redirect = redirectTo(Number(new URL(fake.url).port));
      try {
        await intasendPayments({
          secretKey: fake.secretKey,
          webhookChallenge: fake.challenge,
          dispatcher: redirect.dispatcher,
          ...options,
          publishableKey,
        }).requestPayment(bill(), ctx);
        expect(redirect.targets).toEqual([host]);
        expect(fake.payments).toHaveLength(1);
      } finally {
        await redirect.dispatcher.close();
        await fake.close();
      }
    });
  });
});

describe('intasendPayments against the fake, in detail', () => {
  let fake: FakeIntaSend;
  beforeEach(async () => {
    fake = fakeIntaSend();
    await fake.start();
  });
  afterEach(() => fake.close());
  const client = (overrides: Partial<IntasendPaymentsOptions> = {}) =>
    intasendPayments({
      publishableKey: fake.publishableKey,
      secretKey: fake.secretKey,
      webhookChallenge: fake.challenge,
      ...overrides,
      baseUrl: overrides.baseUrl ?? fake.url,
    });

  it('accepts a base URL with trailing slashes', async () => {
    await client({ baseUrl: `${fake.url}//` }).requestPayment(bill(), ctx);
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/payment/mpesa-stk-push/']);
  });

  it('sends the whole documented body, with empty name and email when not given', async () => {
    await client().requestPayment(bill(), ctx);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      public_key: 'ISPubKey_test_fake',
      currency: 'KES',
      method: 'M-PESA',
      amount: 984,
      phone_number: '254711000111',
      api_ref: 'BILL-1001-2026-11',
      narrative: 'Water bill',
      name: '',
      email: '',
    });
    await client().requestPayment(bill({ reference: 'B2', name: 'Jane', email: 'jane@example.com' }), ctx);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toMatchObject({ name: 'Jane', email: 'jane@example.com' });
  });

  it.each([
    ['254711000', true],
    ['+254711000', true],
    ['123456789012345', true],
    ['25471100', false],
    ['1234567890123456', false],
    ['x254711000111', false],
    ['254711000111x', false],
    ['++254711000111', false],
  ])('takes %s as a phone number: %s', async (phoneNumber, ok) => {
    const paying = client().requestPayment(bill({ phoneNumber }), ctx);
    if (ok) {
      await paying;
      expect(fake.payments).toHaveLength(1);
    } else {
      const err = await failure(paying);
      expect(err.message).toBe('payment phoneNumber must be E.164');
      expect(err.details).toEqual({ field: 'phoneNumber' });
      expect(fake.requests).toHaveLength(0);
    }
  });

  it.each([-5, Number.POSITIVE_INFINITY])('refuses the amount %d before calling', async (amount) => {
    const err = await failure(client().requestPayment(bill({ amount }), ctx));
    expect(err.message).toBe('payment amount must be a positive number');
    expect(err.details).toEqual({ field: 'amount' });
    expect(fake.requests).toHaveLength(0);
  });

  it('names the missing reference', async () => {
    const err = await failure(client().requestPayment(bill({ reference: '' }), ctx));
    expect(err.message).toBe('payment reference is required');
    expect(err.details).toEqual({ field: 'reference' });
  });

  it('logs the queued push with the masked phone, and an unknown outcome as a warning', async () => {
    const { logger, entries } = recordingLogger();
    const requested = await client({ logger }).requestPayment(bill(), ctx);
    fake.delay(300);
    await failure(client({ logger, timeoutMs: 40 }).requestPayment(bill({ reference: 'B2' }), ctx));
    expect(entries.map((e) => [e.level, e.msg])).toEqual([
      ['info', 'STK push queued'],
      ['warn', 'STK push outcome unknown; retry with the same reference'],
    ]);
    expect(entries[0]?.obj).toEqual({
      provider: 'intasend',
      reference: 'BILL-1001-2026-11',
      phone: '+254711***111',
      amount: 984,
      providerId: requested.providerId,
      state: 'PENDING',
    });
    expect(entries[1]?.obj).toMatchObject({ provider: 'intasend', reference: 'B2', phone: '+254711***111' });
  });

  it('reads a status check into an event', async () => {
    const gateway = client();
    const { providerId } = await gateway.requestPayment(bill(), ctx);
    expect(await gateway.status?.(providerId, {})).toMatchObject({
      providerId,
      reference: 'BILL-1001-2026-11',
      state: 'PENDING',
      amount: 984,
      currency: 'KES',
      account: phone,
      failure: undefined,
    });
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      invoice_id: providerId,
      public_key: 'ISPubKey_test_fake',
    });
  });

  it('reports a refused key as PROVIDER_AUTH with the whole message and details', async () => {
    const err = await failure(client({ secretKey: 'ISSecretKey_test_wrong' }).requestPayment(bill(), ctx));
    expect(err.message).toBe('IntaSend STK push failed (HTTP 401): Invalid token.');
    expect(err.details).toEqual({ provider: 'intasend', status: 401, detail: 'Invalid token.' });
  });
});

describe('intasendPayments on answers the full fake never gives', () => {
  let server: ReturnType<typeof fixedIntaSend> | undefined;
  afterEach(() => server?.close());
  const over = async (status: number, body: unknown) => {
    server = fixedIntaSend(status, typeof body === 'string' ? body : JSON.stringify(body));
    return intasendPayments({
      publishableKey: 'ISPubKey_test_x',
      secretKey: 'ISSecretKey_test_x',
      webhookChallenge: 'c',
      baseUrl: await server.start(),
    });
  };

  it('sends the secret key as a bearer token and asks for JSON', async () => {
    const gateway = await over(201, { invoice: invoice() });
    await gateway.requestPayment(bill(), ctx);
    expect(server?.seen[0]?.headers).toMatchObject({
      authorization: 'Bearer ISSecretKey_test_x',
      accept: 'application/json',
      'content-type': 'application/json',
    });
  });

  it('takes HTTP 200 and keeps the reference it sent when the answer has none', async () => {
    const gateway = await over(200, { invoice: invoice({ api_ref: null, state: 'PROCESSING' }) });
    expect(await gateway.requestPayment(bill(), ctx)).toEqual({
      providerId: 'BRZKGPR',
      reference: 'BILL-1001-2026-11',
      state: 'PROCESSING',
    });
  });

  it('reads the invoice without optional fields as an event with them left out', async () => {
    const gateway = await over(200, {
      invoice: { invoice_id: 'BRZKGPR', state: 'RETRY' },
      meta: {},
    });
    expect(await gateway.status?.('BRZKGPR', {})).toEqual({
      providerId: 'BRZKGPR',
      reference: '',
      state: 'PROCESSING',
      rawState: 'RETRY',
      amount: undefined,
      currency: undefined,
      account: undefined,
      providerReference: undefined,
      failure: undefined,
      updatedAt: undefined,
    });
  });

  it('reports a failed status check with its code and reason', async () => {
    const gateway = await over(200, {
      invoice: invoice({ state: 'FAILED', failed_code: '1037', failed_reason: 'DS timeout', value: 984 }),
    });
    expect(await gateway.status?.('BRZKGPR', {})).toMatchObject({
      state: 'FAILED',
      amount: 984,
      failure: { reason: 'unreachable', code: '1037', message: 'DS timeout' },
    });
  });

  it('reports an STK answer without any id as PROVIDER_RESPONSE', async () => {
    const gateway = await over(201, { invoice: invoice({ invoice_id: null }) });
    const err = await failure(gateway.requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_RESPONSE');
    expect(err.message).toMatch(/^IntaSend STK push: unexpected body: \{"invoice":/);
    expect(err.details).toEqual({ provider: 'intasend', status: 201 });
  });

  it('reports a 3xx as PROVIDER_REJECTED, not as success', async () => {
    const gateway = await over(300, { invoice: invoice() });
    const err = await failure(gateway.requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_REJECTED');
  });

  it('joins the details of an error list', async () => {
    const gateway = await over(400, { errors: [{ detail: 'Amount too low.' }, 'Phone invalid.', { code: 9 }] });
    const err = await failure(gateway.requestPayment(bill(), ctx));
    expect(err.message).toBe('IntaSend STK push failed (HTTP 400): Amount too low.; Phone invalid.');
    expect(err.details).toEqual({ provider: 'intasend', status: 400, detail: 'Amount too low.; Phone invalid.' });
  });

  it.each([
    [{ errors: [] }, '{"errors":[]}'],
    [{ errors: [{ code: 9 }] }, '{"errors":[{"code":9}]}'],
    [{ detail: 42 }, '{"detail":42}'],
    ['<h1>Bad   Request</h1>', '<h1>Bad Request</h1>'],
    ['null', 'null'],
    ['', 'no detail'],
  ])('falls back to an excerpt of the body %j', async (body, detail) => {
    const gateway = await over(400, body);
    const err = await failure(gateway.requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_REJECTED');
    expect(err.message).toBe(`IntaSend STK push failed (HTTP 400): ${detail}`);
  });

  it.each([
    [403, 'PROVIDER_AUTH'],
    [404, 'PROVIDER_REJECTED'],
    [428, 'PROVIDER_REJECTED'],
    [429, 'PROVIDER_UNAVAILABLE'],
    [499, 'PROVIDER_REJECTED'],
    [500, 'PROVIDER_UNAVAILABLE'],
  ])('sorts a status check answered %i as %s', async (status, code) => {
    const gateway = await over(status, { detail: 'nope' });
    const err = await failure(gateway.status!('BRZKGPR', {}));
    expect(err.code).toBe(code);
    expect(err.message).toBe(`IntaSend status check failed (HTTP ${status}): nope`);
    expect(err.details).toEqual({ provider: 'intasend', status, detail: 'nope' });
  });
});

describe('intasendPayments.parseWebhook field by field', () => {
  const gateway = intasendPayments({
    publishableKey: 'ISPubKey_test_x',
    secretKey: 'ISSecretKey_test_x',
    webhookChallenge: 'dashboard-secret',
  });
  const webhook = (overrides: Record<string, unknown> = {}) => ({
    ...invoice({ state: 'COMPLETE' }),
    challenge: 'dashboard-secret',
    ...overrides,
  });

  it.each([
    [' 12.50 ', 12.5],
    [984, 984],
    ['-3', -3],
    ['7', 7],
  ])('reads the amount %j as %d', (value, amount) => {
    expect(gateway.parseWebhook(webhook({ value })).amount).toBe(amount);
  });

  it.each(['1.', '.5', '1,000', '12a'])('refuses the amount %j', (value) => {
    expect(thrown(() => gateway.parseWebhook(webhook({ value }))).message).toContain('"value"');
  });

  it('reads an empty failed_code as none', () => {
    expect(
      gateway.parseWebhook(webhook({ state: 'FAILED', failed_code: '', failed_reason: 'Request cancelled by user' }))
        .failure,
    ).toEqual({
      reason: 'cancelled',
      code: undefined,
      message: 'Request cancelled by user',
    });
  });

  it('prefers invoice_id over the numeric id, and refuses an empty one', () => {
    expect(gateway.parseWebhook(webhook({ id: 77 })).providerId).toBe('BRZKGPR');
    expect(gateway.parseWebhook(webhook({ invoice_id: null, id: 'legacy-9' })).providerId).toBe('legacy-9');
    expect(thrown(() => gateway.parseWebhook(webhook({ invoice_id: '' }))).code).toBe('INVALID_REQUEST');
    expect(thrown(() => gateway.parseWebhook(webhook({ invoice_id: null, id: '' }))).code).toBe('INVALID_REQUEST');
    expect(thrown(() => gateway.parseWebhook(webhook({ invoice_id: null, id: null }))).message).toContain(
      '"invoice_id" is missing',
    );
  });

  it.each([
    ['254711000', '+254711000'],
    ['25471100', '25471100'],
    ['123456789012345', '+123456789012345'],
    ['1234567890123456', '1234567890123456'],
    ['', undefined],
  ])('writes the account %j as %j', (account, expected) => {
    expect(gateway.parseWebhook(webhook({ account })).account).toBe(expected);
  });

  it('says why a body is refused', () => {
    const err = thrown(() => gateway.parseWebhook('[1]'));
    expect(err.message).toBe('IntaSend webhook: the body is not a JSON object');
    expect(err.details).toEqual({ field: 'body' });
    const unauthorized = thrown(() => gateway.parseWebhook(webhook({ challenge: 'x' })));
    expect(unauthorized.message).toBe('IntaSend webhook: challenge missing or wrong');
    expect(unauthorized.details).toEqual({ provider: 'intasend' });
  });
});
