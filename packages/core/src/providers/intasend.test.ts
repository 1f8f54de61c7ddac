import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError, type UssdError } from '../errors.js';
import type { PaymentRequest } from '../ports/payments.js';
import { paymentGatewayContract } from '../testing/contracts/payment-gateway.js';
import { type FakeIntaSend, fakeIntaSend } from '../testing/fakes/fake-intasend.js';
import { webhookReceiver } from '../testing/fakes/webhook-receiver.js';
import { redirectTo, scriptedServer } from '../testing/local-http.js';
import { recordingLogger } from '../testing/recording-logger.js';
import { type IntasendPaymentsOptions, intasendPayments } from './intasend.js';

const phone = '+254711000111';

paymentGatewayContract('IntaSend client against the fake', async () => {
  const receiver = webhookReceiver();
  const fake = fakeIntaSend({ webhookUrl: await receiver.start() });
  await fake.start();
  const bodiesFor = (providerId: string) =>
    receiver.received
      .map((r) => JSON.parse(r.body) as Record<string, unknown>)
      .filter((b) => b.invoice_id === providerId)
      .reverse();
  return {
    gateway: intasendPayments({
      publishableKey: fake.publishableKey,
      secretKey: fake.secretKey,
      webhookChallenge: fake.challenge,
      baseUrl: fake.url,
    }),
    phoneNumber: phone,
    pay: async (id) => {
      await fake.enterPin(id);
      return bodiesFor(id);
    },
    cancel: async (id) => {
      await fake.cancel(id);
      return bodiesFor(id);
    },
    forge: (body) => ({ ...(body as object), challenge: 'guessed' }),
    teardown: async () => {
      await fake.close();
      await receiver.close();
    },
  };
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

const bill = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  amount: 984,
  currency: 'KES',
  phoneNumber: phone,
  reference: 'BILL-1001-2026-11',
  narrative: 'Water bill',
  name: 'Jane Doe',
  ...overrides,
});
const ctx = { idempotencyKey: 'BILL-1001-2026-11' };

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

describe('intasendPayments against the fake IntaSend', () => {
  let fake: FakeIntaSend;
  const client = (overrides: Partial<IntasendPaymentsOptions> = {}) =>
    intasendPayments({
      publishableKey: fake.publishableKey,
      secretKey: fake.secretKey,
      webhookChallenge: fake.challenge,
      ...overrides,
      baseUrl: overrides.baseUrl ?? fake.url,
    });

  beforeEach(async () => {
    fake = fakeIntaSend();
    await fake.start();
  });
  afterEach(() => fake.close());

  it('pushes the documented JSON: number amount, phone without +, api_ref = reference', async () => {
    const requested = await client().requestPayment(bill(), ctx);
    const [payment] = fake.payments;
    expect(requested).toEqual({ providerId: payment?.invoiceId, reference: 'BILL-1001-2026-11', state: 'PENDING' });
    expect(payment).toMatchObject({
      apiRef: 'BILL-1001-2026-11',
      amount: 984,
      phone: '254711000111',
      narrative: 'Water bill',
      name: 'Jane Doe',
      email: '',
      state: 'PENDING',
    });
    expect(fake.pending(phone)).toHaveLength(1);
  });

  it('accepts the older numeric invoice id, also for status checks', async () => {
    await fake.close();
    fake = fakeIntaSend({ legacyInvoiceIds: true });
    await fake.start();
    const gateway = client();
    const requested = await gateway.requestPayment(bill(), ctx);
    expect(requested.providerId).toMatch(/^\d+$/);
    expect(requested.providerId).toBe(String(fake.payments[0]?.numericId));
    await fake.enterPin(requested.providerId);
    expect(await gateway.status?.(requested.providerId, {})).toMatchObject({
      providerId: requested.providerId,
      state: 'COMPLETE',
      amount: 984,
      account: phone,
    });
  });

  it('reports a wrong secret key as PROVIDER_AUTH with the detail text', async () => {
    const err = await failure(client({ secretKey: 'ISSecretKey_test_wrong' }).requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_AUTH');
    expect(err.message).toContain('Invalid token.');
    expect(err.message).not.toContain('ISSecretKey_test_wrong');
    expect(fake.payments).toHaveLength(0);
  });

  it('reports 403 as PROVIDER_AUTH', async () => {
    fake.failNext(1, 403);
    expect((await failure(client().requestPayment(bill(), ctx))).code).toBe('PROVIDER_AUTH');
  });

  it('reports a 400 as PROVIDER_REJECTED with the detail text', async () => {
    const err = await failure(client({ publishableKey: 'ISPubKey_test_other' }).requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_REJECTED');
    expect(err.message).toContain('Invalid public key.');
    expect(err.details).toMatchObject({ status: 400, detail: 'Invalid public key.' });
  });

  it('reports an unknown invoice on a status check as PROVIDER_REJECTED (404)', async () => {
    const err = await failure(client().status!('NOPE123', {}));
    expect(err.code).toBe('PROVIDER_REJECTED');
    expect(err.details).toMatchObject({ status: 404, detail: 'Not found.' });
  });

  it.each([429, 500, 503])(
    'reports HTTP %i as PROVIDER_UNAVAILABLE and does not push again by itself',
    async (status) => {
      fake.failNext(1, status);
      const err = await failure(client().requestPayment(bill(), ctx));
      expect(err.code).toBe('PROVIDER_UNAVAILABLE');
      expect(fake.requests).toHaveLength(1);
      expect(fake.payments).toHaveLength(0);
    },
  );

  it('reports an unreachable host as PROVIDER_UNAVAILABLE', async () => {
    const url = fake.url;
    await fake.close();
    const err = await failure(client({ baseUrl: url }).requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.details).toMatchObject({ failure: 'network' });
  });

  it('reports a 2xx body it cannot read as PROVIDER_RESPONSE', async () => {
    const odd = webhookReceiver(() => 200);
    try {
      const err = await failure(client({ baseUrl: await odd.start() }).requestPayment(bill(), ctx));
      expect(err.code).toBe('PROVIDER_RESPONSE');
    } finally {
      await odd.close();
    }
  });

  it('does not put a second prompt on the phone when a timed-out push is retried with the same reference', async () => {
    fake.delay(400);
    const gateway = client({ timeoutMs: 80 });
    const err = await failure(gateway.requestPayment(bill(), ctx));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.details).toMatchObject({ failure: 'timeout' });
    fake.delay(0);
    // The caller retries (here with a patient client, so a loaded machine cannot time the retry out as well).
    const retried = await client().requestPayment(bill(), ctx);
    const pushes = fake.requests.filter((r) => r.path === '/api/v1/payment/mpesa-stk-push/');
    expect(pushes).toHaveLength(2);
    // The client's part: the retry carries the same reference as its idempotency key, in an identical request.
    expect(pushes.map((r) => JSON.parse(r.body).api_ref)).toEqual(['BILL-1001-2026-11', 'BILL-1001-2026-11']);
    expect(pushes[0]!.body).toBe(pushes[1]!.body);
    expect(fake.payments).toHaveLength(1);
    expect(fake.pending(phone)).toHaveLength(1);
    expect(retried.providerId).toBe(fake.payments[0]?.invoiceId);
  });

  it('creates a new prompt for a new reference', async () => {
    const gateway = client();
    const first = await gateway.requestPayment(bill(), ctx);
    const second = await gateway.requestPayment(bill({ reference: 'BILL-1001-2026-11-2' }), ctx);
    expect(second.providerId).not.toBe(first.providerId);
    expect(fake.requests.map((r) => JSON.parse(r.body).api_ref)).toEqual(['BILL-1001-2026-11-2', 'BILL-1001-2026-11']);
    expect(second.reference).toBe('BILL-1001-2026-11-2');
    expect(fake.pending(phone)).toHaveLength(2);
  });

  it('honours the caller signal', async () => {
    fake.delay(500);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const err = await failure(client().requestPayment(bill(), { ...ctx, signal: controller.signal }));
    expect(err.details).toMatchObject({ failure: 'aborted' });
  });

  it('checks the request before calling IntaSend', async () => {
    for (const req of [
      bill({ amount: 0 }),
      bill({ amount: Number.NaN }),
      bill({ phoneNumber: '07-11' }),
      bill({ reference: '' }),
    ]) {
      expect((await failure(client().requestPayment(req, ctx))).code).toBe('INVALID_REQUEST');
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('needs both keys and the webhook challenge', () => {
    const keys = { publishableKey: 'p', secretKey: 's', webhookChallenge: 'c' };
    for (const missing of ['publishableKey', 'secretKey', 'webhookChallenge'] as const) {
      expect(() => intasendPayments({ ...keys, [missing]: '' })).toThrow(expect.objectContaining({ code: 'CONFIG' }));
    }
  });

  describe('wire form, validation messages, status checks and logs', () => {
    it('accepts a base URL with trailing slashes', async () => {
      await client({ baseUrl: `${fake.url}//` }).requestPayment(bill(), ctx);
      expect(fake.requests.map((r) => r.path)).toEqual(['/api/v1/payment/mpesa-stk-push/']);
    });

    it('sends the whole documented body, with empty name and email when not given', async () => {
      const { name: _, ...unnamed } = bill();
      await client().requestPayment(unnamed, ctx);
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
});

describe('intasendPayments on answers the full fake never gives', () => {
  let server: ReturnType<typeof scriptedServer> | undefined;
  afterEach(() => server?.close());
  const over = async (status: number, body: unknown) => {
    server = scriptedServer('fixed IntaSend', { status, body: typeof body === 'string' ? body : JSON.stringify(body) });
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

describe('intasendPayments.parseWebhook', () => {
  const gateway = intasendPayments({
    publishableKey: 'ISPubKey_test_x',
    secretKey: 'ISSecretKey_test_x',
    webhookChallenge: 'dashboard-secret',
  });
  const webhook = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    invoice_id: 'BRZKGPR',
    state: 'COMPLETE',
    provider: 'M-PESA',
    charges: '0.00',
    net_amount: '984.00',
    currency: 'KES',
    value: '984.00',
    account: '254711000111',
    api_ref: 'BILL-1001-2026-11',
    mpesa_reference: 'SIH1ABC2DE',
    host: 'https://sandbox.intasend.com',
    failed_reason: null,
    failed_code: null,
    failed_code_link: null,
    created_at: '2026-11-20T13:24:47.040822+03:00',
    updated_at: '2026-11-20T13:25:02.120000+03:00',
    challenge: 'dashboard-secret',
    ...overrides,
  });
  const without = (field: string) => {
    const body = webhook();
    delete body[field];
    return body;
  };

  it('parses the documented body', () => {
    expect(gateway.parseWebhook(webhook())).toEqual({
      providerId: 'BRZKGPR',
      reference: 'BILL-1001-2026-11',
      state: 'COMPLETE',
      rawState: 'COMPLETE',
      amount: 984,
      currency: 'KES',
      account: '+254711000111',
      providerReference: 'SIH1ABC2DE',
      failure: undefined,
      updatedAt: '2026-11-20T13:25:02.120000+03:00',
    });
  });

  it('accepts the body as JSON text or bytes', () => {
    const text = JSON.stringify(webhook({ value: '12.50' }));
    expect(gateway.parseWebhook(text).amount).toBe(12.5);
    expect(gateway.parseWebhook(Buffer.from(text)).amount).toBe(12.5);
  });

  it('reads COMPLETED as COMPLETE and RETRY as PROCESSING, keeping the raw word', () => {
    expect(gateway.parseWebhook(webhook({ state: 'COMPLETED' }))).toMatchObject({
      state: 'COMPLETE',
      rawState: 'COMPLETED',
    });
    expect(gateway.parseWebhook(webhook({ state: 'RETRY' }))).toMatchObject({ state: 'PROCESSING', rawState: 'RETRY' });
    expect(gateway.parseWebhook(webhook({ state: 'PENDING' })).state).toBe('PENDING');
  });

  it('accepts a numeric id instead of invoice_id', () => {
    const body = without('invoice_id');
    body.id = 4521;
    expect(gateway.parseWebhook(body).providerId).toBe('4521');
  });

  it('keeps an account that is not a bare number as it is', () => {
    expect(gateway.parseWebhook(webhook({ account: '+254711000111' })).account).toBe('+254711000111');
    expect(gateway.parseWebhook(webhook({ account: 'jane@example.com' })).account).toBe('jane@example.com');
    expect(gateway.parseWebhook(webhook({ account: null })).account).toBeUndefined();
  });

  it.each(['invoice_id', 'state', 'api_ref'])('rejects a body without %s with a 400 naming it', (field) => {
    const err = thrown(() => gateway.parseWebhook(without(field)));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.status).toBe(400);
    expect(err.message).toContain(`"${field}" is missing`);
    expect(err.details).toMatchObject({ field });
  });

  it.each([
    ['state', 'SETTLED'],
    ['value', 'abc'],
    ['value', '9.8.4'],
    ['api_ref', ''],
  ])('rejects %s = %j with a 400 naming it', (field, value) => {
    const err = thrown(() => gateway.parseWebhook(webhook({ [field]: value })));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain(`"${field}"`);
  });

  it.each([
    ['a wrong challenge', webhook({ challenge: 'dashboard-secreT' })],
    ['a longer challenge', webhook({ challenge: 'dashboard-secret-and-more' })],
    ['an empty challenge', webhook({ challenge: '' })],
    ['a numeric challenge', webhook({ challenge: 42 })],
    ['no challenge', without('challenge')],
  ])('rejects %s with WEBHOOK_UNAUTHORIZED (401)', (_name, body) => {
    const err = thrown(() => gateway.parseWebhook(body));
    expect(err.code).toBe('WEBHOOK_UNAUTHORIZED');
    expect(err.status).toBe(401);
    expect(err.message).not.toContain('dashboard-secret');
  });

  it('checks the challenge before the fields, so a stranger learns nothing about the schema', () => {
    expect(thrown(() => gateway.parseWebhook({ challenge: 'nope' })).code).toBe('WEBHOOK_UNAUTHORIZED');
  });

  it.each(['{"invoice_id":', 'null', '[]', 42])('rejects the malformed body %j with INVALID_REQUEST', (body) => {
    const err = thrown(() => gateway.parseWebhook(body));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.status).toBe(400);
  });

  it.each([
    ['1', 'insufficient_funds'],
    ['1001', 'busy'],
    ['1019', 'expired'],
    ['1025', 'push_failed'],
    ['9999', 'push_failed'],
    ['1032', 'cancelled'],
    ['1037', 'unreachable'],
    ['2001', 'wrong_pin'],
    ['7777', 'unknown'],
  ])('maps failed_code %s to %s and keeps the raw values', (code, reason) => {
    const event = gateway.parseWebhook(
      webhook({ state: 'FAILED', failed_code: code, failed_reason: 'M-Pesa said so' }),
    );
    expect(event.state).toBe('FAILED');
    expect(event.failure).toEqual({ reason, code, message: 'M-Pesa said so' });
  });

  it('accepts a numeric failed_code and falls back to the reason text without a code', () => {
    expect(gateway.parseWebhook(webhook({ state: 'FAILED', failed_code: 1032 })).failure).toMatchObject({
      reason: 'cancelled',
      code: '1032',
    });
    expect(
      gateway.parseWebhook(webhook({ state: 'FAILED', failed_code: null, failed_reason: 'Request cancelled by user' }))
        .failure,
    ).toEqual({ reason: 'cancelled', code: undefined, message: 'Request cancelled by user' });
    expect(gateway.parseWebhook(webhook({ state: 'FAILED' })).failure).toEqual({
      reason: 'unknown',
      code: undefined,
      message: undefined,
    });
  });

  describe('field by field', () => {
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
});
