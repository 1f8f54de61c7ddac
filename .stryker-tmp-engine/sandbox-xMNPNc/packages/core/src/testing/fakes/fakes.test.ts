// @ts-nocheck
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDeliveryReport } from '../../gateways/africastalking-callbacks.js';
import { type FakeAfricasTalking, fakeAfricasTalking } from './fake-africastalking.js';
import { type FakeIntaSend, fakeIntaSend } from './fake-intasend.js';
import { type WebhookReceiver, webhookReceiver } from './webhook-receiver.js';

async function post(url: string, headers: Record<string, string>, body: string) {
  const res = await request(url, { method: 'POST', headers, body });
  return { status: res.statusCode, type: String(res.headers['content-type']), text: await res.body.text() };
}

describe("fake Africa's Talking speaks the SMS protocol", () => {
  let fake: FakeAfricasTalking;
  let app: WebhookReceiver;
  let appStatus: number;
  const headers = (apiKey = 'fake-at-api-key') => ({
    apiKey,
    Accept: 'application/json',
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  const form = (fields: Record<string, string>) => new URLSearchParams({ username: 'sandbox', ...fields }).toString();
  const send = (fields: Record<string, string>, h: Record<string, string> = headers()) =>
    post(`${fake.url}/version1/messaging`, h, form(fields));

  beforeEach(async () => {
    appStatus = 200;
    app = webhookReceiver(() => appStatus);
    fake = fakeAfricasTalking({
      allowedSenders: ['ROLAX'],
      deliveryReportUrl: await app.start(),
      callbackRetryDelayMs: 1,
    });
    await fake.start();
  });
  afterEach(async () => {
    await fake.close();
    await app.close();
  });

  it('answers 201 with SMSMessageData and one entry per recipient', async () => {
    const res = await send({ to: '+254711000111,+254722000222', message: 'hello', from: 'ROLAX' });
    expect(res.status).toBe(201);
    expect(res.type).toContain('application/json');
    const body = JSON.parse(res.text);
    expect(body).toEqual({
      SMSMessageData: {
        Message: 'Sent to 2/2 Total Cost: KES 1.6000',
        Recipients: [
          {
            statusCode: 101,
            number: '+254711000111',
            status: 'Success',
            cost: 'KES 0.8000',
            messageId: expect.stringMatching(/^ATXid_/),
          },
          {
            statusCode: 101,
            number: '+254722000222',
            status: 'Success',
            cost: 'KES 0.8000',
            messageId: expect.stringMatching(/^ATXid_/),
          },
        ],
      },
    });
    expect(fake.sent.map((m) => m.to)).toEqual(['+254722000222', '+254711000111']);
  });

  it('answers 401 text/plain for a wrong apiKey or username', async () => {
    for (const res of [
      await send({ to: '+254711000111', message: 'x' }, headers('wrong')),
      await post(
        `${fake.url}/version1/messaging`,
        headers(),
        new URLSearchParams({ username: 'other', to: '+254711000111', message: 'x' }).toString(),
      ),
    ]) {
      expect(res).toEqual({ status: 401, type: 'text/plain', text: 'The supplied authentication is invalid' });
    }
  });

  it('answers InvalidSenderId with no recipients for a sender outside the allowed list', async () => {
    const res = await send({ to: '+254711000111', message: 'x', from: 'SPOOF' });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toEqual({ SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } });
    expect(fake.sent).toHaveLength(0);
  });

  it('refuses a malformed number per recipient with 403 InvalidPhoneNumber', async () => {
    const res = await send({ to: '0711000111,+254711000111', message: 'x' });
    const [bad, good] = JSON.parse(res.text).SMSMessageData.Recipients;
    expect(bad).toEqual({
      statusCode: 403,
      number: '0711000111',
      status: 'InvalidPhoneNumber',
      cost: '0',
      messageId: 'None',
    });
    expect(good.statusCode).toBe(101);
    expect(JSON.parse(res.text).SMSMessageData.Message).toBe('Sent to 1/2 Total Cost: KES 0.8000');
  });

  it('answers XML when the client does not ask for JSON, as AT does', async () => {
    const res = await send(
      { to: '+254711000111', message: 'x' },
      { apiKey: 'fake-at-api-key', 'Content-Type': 'application/x-www-form-urlencoded' },
    );
    expect(res.type).toBe('application/xml');
    expect(res.text).toContain('<AfricasTalkingResponse>');
  });

  it('answers 400 for a missing field and 404 for another path', async () => {
    expect((await send({ message: 'x' })).status).toBe(400);
    expect((await post(`${fake.url}/version1/other`, headers(), form({}))).status).toBe(404);
  });

  it('fails whole requests on demand without recording them, and can answer late', async () => {
    fake.failNext(2, 502);
    expect((await send({ to: '+254711000111', message: 'x' })).status).toBe(502);
    expect((await send({ to: '+254711000111', message: 'x' })).status).toBe(502);
    expect(fake.sent).toHaveLength(0);
    fake.delay(60);
    const started = Date.now();
    expect((await send({ to: '+254711000111', message: 'x' })).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(fake.requests.map((r) => r.status)).toEqual([201, 502, 502]);
  });

  it('POSTs a Success delivery report per accepted recipient, retrying until acknowledged', async () => {
    appStatus = 500;
    const res = await send({ to: '+254711000111', message: 'x' });
    const { messageId } = JSON.parse(res.text).SMSMessageData.Recipients[0];
    await fake.settled();
    expect(fake.deliveryReports).toEqual([
      { id: messageId, phoneNumber: '+254711000111', status: 'Success', answers: [500, 500, 500] },
    ]);
    const report = parseDeliveryReport(app.received[0]?.body ?? '');
    expect(report).toMatchObject({
      id: messageId,
      status: 'Success',
      final: true,
      phoneNumber: '+254711000111',
      networkCode: '63902',
      retryCount: 0,
    });
    expect(app.received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('lists messages to one phone newest first', async () => {
    await send({ to: '+254711000111', message: 'first' });
    await send({ to: '+254722000222', message: 'other' });
    await send({ to: '+254711000111', message: 'second' });
    expect(fake.messagesTo('+254711000111').map((m) => m.text)).toEqual(['second', 'first']);
    fake.reset();
    expect(fake.sent).toHaveLength(0);
  });
});

describe('fake IntaSend speaks the collection protocol and plays the phone', () => {
  let fake: FakeIntaSend;
  let app: WebhookReceiver;
  let appStatus: number;
  const auth = (key = 'ISSecretKey_test_fake') => ({
    Authorization: `Bearer ${key}`,
    'Content-Type': 'application/json',
  });
  const push = (overrides: Record<string, unknown> = {}, headers: Record<string, string> = auth()) =>
    post(
      `${fake.url}/api/v1/payment/mpesa-stk-push/`,
      headers,
      JSON.stringify({
        public_key: 'ISPubKey_test_fake',
        currency: 'KES',
        method: 'M-PESA',
        amount: 984,
        phone_number: '254711000111',
        api_ref: 'BILL-1',
        narrative: 'Water bill',
        name: 'Jane Doe',
        email: '',
        ...overrides,
      }),
    );
  const webhooks = () => app.received.map((r) => JSON.parse(r.body) as Record<string, unknown>).reverse();

  beforeEach(async () => {
    appStatus = 200;
    app = webhookReceiver(() => appStatus);
    fake = fakeIntaSend({ webhookUrl: await app.start(), webhookRetryDelayMs: 1 });
    await fake.start();
  });
  afterEach(async () => {
    await fake.close();
    await app.close();
  });

  it('answers an STK push with the documented invoice', async () => {
    const res = await push();
    expect(res.status).toBe(201);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      invoice: {
        invoice_id: expect.stringMatching(/^[A-Z0-9]{7}$/),
        state: 'PENDING',
        provider: 'M-PESA',
        charges: '0.00',
        net_amount: '984.00',
        currency: 'KES',
        value: '984.00',
        account: '254711000111',
        api_ref: 'BILL-1',
        mpesa_reference: null,
        failed_reason: null,
        failed_code: null,
      },
      customer: { phone_number: '254711000111' },
    });
    expect(fake.pending('+254711000111')).toHaveLength(1);
    expect(fake.pending('254711000111')).toHaveLength(1);
    expect(fake.pending('+254799999999')).toHaveLength(0);
  });

  it('checks the bearer secret key and the public key', async () => {
    const missing = await push({}, { 'Content-Type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect((await push({}, auth('ISSecretKey_test_other'))).status).toBe(401);
    expect((await push({ public_key: 'ISPubKey_test_other' })).status).toBe(400);
    expect(fake.payments).toHaveLength(0);
  });

  it('refuses a phone with +, a string amount and another currency', async () => {
    expect(JSON.parse((await push({ phone_number: '+254711000111' })).text).detail).toContain('phone_number');
    expect(JSON.parse((await push({ amount: '984' })).text).detail).toContain('amount');
    expect((await push({ currency: 'USD' })).status).toBe(400);
  });

  it('returns the open prompt for a repeated api_ref, and a new one once it is settled', async () => {
    const first = JSON.parse((await push()).text).invoice.invoice_id;
    const again = JSON.parse((await push()).text).invoice.invoice_id;
    expect(again).toBe(first);
    await fake.cancel(first);
    const fresh = JSON.parse((await push()).text).invoice.invoice_id;
    expect(fresh).not.toBe(first);
    expect(fake.payments).toHaveLength(2);
  });

  it('completes on the right PIN with PROCESSING then COMPLETE webhooks in the documented shape', async () => {
    const id = JSON.parse((await push()).text).invoice.invoice_id;
    const paid = await fake.enterPin('BILL-1');
    expect(paid.state).toBe('COMPLETE');
    const [processing, complete] = webhooks();
    expect(processing?.state).toBe('PROCESSING');
    expect(Object.keys(complete ?? {})).toEqual([
      'invoice_id',
      'state',
      'provider',
      'charges',
      'net_amount',
      'currency',
      'value',
      'account',
      'api_ref',
      'mpesa_reference',
      'host',
      'failed_reason',
      'failed_code',
      'failed_code_link',
      'created_at',
      'updated_at',
      'challenge',
    ]);
    expect(complete).toMatchObject({
      invoice_id: id,
      state: 'COMPLETE',
      value: '984.00',
      account: '254711000111',
      api_ref: 'BILL-1',
      mpesa_reference: paid.mpesaReference,
      challenge: 'fake-webhook-challenge',
    });
    expect(app.received[0]?.headers['content-type']).toBe('application/json');
    await expect(fake.enterPin(id)).rejects.toThrow(/COMPLETE/);
  });

  it.each([
    ['a wrong PIN', (f: FakeIntaSend, id: string) => f.enterPin(id, '0000'), '2001'],
    ['a cancel', (f: FakeIntaSend, id: string) => f.cancel(id), '1032'],
    ['a timeout', (f: FakeIntaSend, id: string) => f.timeout(id), '1037'],
    ['no balance', (f: FakeIntaSend, id: string) => f.insufficient(id), '1'],
    ['any failure', (f: FakeIntaSend, id: string) => f.fail(id, '1001', 'Subscriber busy'), '1001'],
  ])('fails on %s with the M-Pesa code', async (_name, act, code) => {
    const id = JSON.parse((await push()).text).invoice.invoice_id;
    await act(fake, id);
    expect(webhooks().map((w) => [w.state, w.failed_code])).toEqual([['FAILED', code]]);
    expect(fake.pending()).toHaveLength(0);
  });

  it('retries a webhook the app does not acknowledge, then gives up', async () => {
    appStatus = 503;
    await push();
    await fake.cancel('BILL-1');
    expect(fake.webhookDeliveries[0]?.answers).toEqual([503, 503, 503, 503]);
    expect(app.received).toHaveLength(4);
  });

  it('answers a status check with the invoice and meta', async () => {
    const id = JSON.parse((await push()).text).invoice.invoice_id;
    await fake.enterPin(id);
    const res = await post(
      `${fake.url}/api/v1/payment/status/`,
      auth(),
      JSON.stringify({ invoice_id: id, public_key: 'ISPubKey_test_fake' }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ invoice: { invoice_id: id, state: 'COMPLETE' }, meta: {} });
    const unknown = await post(
      `${fake.url}/api/v1/payment/status/`,
      auth(),
      JSON.stringify({ invoice_id: 'NOPE', public_key: 'ISPubKey_test_fake' }),
    );
    expect(unknown.status).toBe(404);
  });
});
