import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, OPS_PHONE, recordingLog, startService } from './harness.js';

const JANE = '+254711000111';

describe('the water service over HTTP', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  let h: ReturnType<typeof http>;
  const log = recordingLog();

  beforeAll(async () => {
    svc = await startService(undefined, log);
    h = http(svc.server);
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  it('pays the open bill of account 1001 by M-Pesa: nobody is told it is paid before the webhook', async () => {
    const before = (await h.ops('GET', '/bills?account=1001')).json.bills.find((b: any) => b.status !== 'paid');
    expect(before.balance).toBeGreaterThan(0);

    const s = h.ussd(JANE);
    await s.dial();
    s.expectScreen('2. Pay bill');
    await s.input('2');
    s.expectScreen('1. 1001');
    await s.input('1');
    s.expectScreen(`balance KES ${before.balance.toLocaleString('en-US')}`);
    await s.input('1');
    s.expectScreen('2. Confirm');
    await s.input('2');
    s.expectEnd('Enter your M-Pesa PIN');

    // The prompt waits on the phone; the bill is untouched and no receipt exists yet.
    const prompts = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json;
    expect(prompts).toHaveLength(1);
    expect(prompts[0].amount).toBe(Math.ceil(before.balance));
    expect((await h.ops('GET', '/bills?account=1001')).json.bills.find((b: any) => b.id === before.id).balance).toBe(
      before.balance,
    );
    expect((await h.smsTo(JANE)).filter((m) => /received/.test(m.text))).toHaveLength(0);

    // A second push for the same bill is refused while this one is pending.
    const again = h.ussd(JANE);
    await again.dial();
    await again.input('2');
    await again.input('1');
    again.expectEnd('already waiting for your M-Pesa PIN');

    const pin = await h.call('POST', `/dev/stk/${prompts[0].reference}/pin`, { pin: '1234' });
    expect(pin.json.state).toBe('COMPLETE');

    const receipt = await eventually(async () => {
      const found = (await h.smsTo(JANE)).find((m) => /received for a\/c 1001/.test(m.text));
      expect(found).toBeDefined();
      return found!;
    });
    const payment = (await h.ops('GET', '/payments?account=1001')).json.payments[0];
    expect(payment.state).toBe('COMPLETE');
    expect(receipt.text).toContain(payment.mpesaReference);
    const after = (await h.ops('GET', '/bills?account=1001')).json.bills.find((b: any) => b.id === before.id);
    expect(after.balance).toBe(0);
    expect(after.status).toBe('paid');
  });

  it('reports a cancelled payment by SMS with the reason and how to retry', async () => {
    const s = h.ussd(JANE);
    await s.dial();
    await s.input('2');
    await s.input('2');
    await s.input('2');
    s.expectScreen('Enter amount');
    await s.input('100');
    await s.input('2');
    s.expectEnd('Enter your M-Pesa PIN');
    const [prompt] = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(JANE)}`)).json;
    // This attempt's own row, found by the reference the prompt carries: pending until the customer cancels.
    const thisPayment = async () =>
      (await h.ops('GET', '/payments?account=1002')).json.payments.find((p: any) => p.reference === prompt.reference);
    const billOf = async (id: number) =>
      (await h.ops('GET', '/bills?account=1002')).json.bills.find((b: any) => b.id === id);
    const pending = await thisPayment();
    expect(pending).toMatchObject({ state: 'PENDING', amount: 100, failureReason: null });
    const billBefore = await billOf(pending.billId);
    const cancelled = await h.call('POST', `/dev/stk/${prompt.reference}/cancel`, {});
    expect(cancelled.json.state).toBe('FAILED');
    const sms = await eventually(async () => {
      const found = (await h.smsTo(JANE)).find((m) => /cancel/i.test(m.text) && /1002/.test(m.text));
      expect(found).toBeDefined();
      return found!;
    });
    expect(sms.text).toMatch(/\*384\*/);
    expect(await thisPayment()).toMatchObject({ state: 'FAILED', failureReason: 'cancelled', paidAmount: null });
    expect(await billOf(pending.billId)).toMatchObject({ balance: billBefore.balance, paid: billBefore.paid });
  });

  it('records a leak reported by USSD: one issue, a confirmation to the reporter, an alert to operations', async () => {
    const s = h.ussd(JANE);
    await s.dial();
    await s.input('3');
    await s.input('1');
    s.expectScreen('What is the problem?');
    await s.input('2');
    s.expectScreen('Describe it briefly');
    await s.input('Water running*near meter');
    const end = s.expectEnd(/Issue R-\d{6} is recorded/).last!;
    const reference = end.text.match(/R-\d{6}/)![0];
    const issue = (await h.ops('GET', `/issues/${reference}`)).json.issue;
    expect(issue).toMatchObject({
      category: 'leak',
      channel: 'ussd',
      account: '1001',
      description: 'Water running*near meter',
    });
    await eventually(async () => {
      expect((await h.smsTo(JANE)).filter((m) => m.text.includes(reference))).toHaveLength(1);
      const alerts = (await h.smsTo(OPS_PHONE)).filter((m) => m.text.includes(reference));
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.text).toContain('1001');
    });
  });

  it('records a leak reported by SMS once, even when the message is delivered twice', async () => {
    const seeded = (await h.ops('GET', '/issues?account=2001&channel=sms')).json.issues.length;
    const first = await h.incomingSms('ATXid_in_1', '+254722000222', 'acc 2001 # Leak at the gate');
    const second = await h.incomingSms('ATXid_in_1', '+254722000222', 'acc 2001 # Leak at the gate');
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const issues = (await h.ops('GET', '/issues?account=2001&channel=sms')).json.issues;
    expect(issues).toHaveLength(seeded + 1);
    expect(issues[0]).toMatchObject({ category: 'leak', description: 'Leak at the gate' });
    const reference = issues[0].reference;
    await eventually(async () => {
      expect((await h.smsTo('+254722000222')).filter((m) => m.text.includes(reference))).toHaveLength(1);
      expect((await h.smsTo(OPS_PHONE)).filter((m) => m.text.includes(reference))).toHaveLength(1);
    });
  });

  it('answers any other SMS with the format help', async () => {
    await h.incomingSms('ATXid_in_2', '+254722000222', 'hello there');
    await eventually(async () => {
      expect(
        (await h.smsTo('+254722000222')).some((m) => /#/.test(m.text) && /2001|ACCOUNT|account/i.test(m.text)),
      ).toBe(true);
    });
  });

  it('refuses a webhook with the wrong challenge and changes nothing', async () => {
    const payments = (await h.ops('GET', '/payments')).json.payments;
    const res = await h.call('POST', '/payments/intasend/webhook', {
      invoice_id: 'FAKE1',
      state: 'COMPLETE',
      api_ref: payments[0].reference,
      value: '999.00',
      challenge: 'not-the-secret',
    });
    expect(res.status).toBe(401);
    expect((await h.ops('GET', '/payments')).json.payments).toEqual(payments);
  });

  it('answers malformed gateway requests with 400 and a reason', async () => {
    const ussd = await h.call('POST', '/ussd', new URLSearchParams({ phoneNumber: JANE, serviceCode: '*384*123#' }));
    expect(ussd.status).toBe(400);
    expect(ussd.text).toMatch(/sessionId is missing/);
    const sms = await h.call('POST', '/sms/incoming', new URLSearchParams({ from: JANE, text: 'x' }));
    expect(sms.status).toBe(400);
    expect(sms.text).toMatch(/"id" is missing|"to" is missing|"date" is missing/);
  });

  it('keeps the operations API behind its token', async () => {
    expect((await h.call('GET', '/ops/issues')).status).toBe(401);
    expect((await h.call('GET', '/ops/issues', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
  });

  it('reports USSD turns and the payment backlog to operations', async () => {
    const m = (await h.ops('GET', '/metrics')).json;
    expect(m.ussd.turns).toBeGreaterThan(15);
    expect(m.ussd.byOutcome.ok).toBeGreaterThan(15);
    // Read from the Prometheus registry: counts of what is on record, no precomputed percentiles.
    expect(m.payments.COMPLETE).toBeGreaterThanOrEqual(1);
    expect(m.payments.FAILED).toBeGreaterThanOrEqual(1);
    expect(m.issues.leak).toBeGreaterThanOrEqual(2);
    expect(m.outbox).toEqual({ pending: expect.any(Number), failed: 0, oldestPendingSeconds: expect.any(Number) });
    expect((await h.call('GET', '/ops/metrics')).status).toBe(401);
  });

  it('reports health and readiness', async () => {
    expect((await h.call('GET', '/healthz')).json).toMatchObject({ ok: true, mode: 'demo' });
    const ready = await h.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({
      ready: true,
      failed: [],
      checks: { database: { ok: true }, migrations: { ok: true }, outbox: { ok: true } },
      gateways: { sms: { ok: true }, payments: { ok: true } },
    });
  });

  it('never logs a full phone number, a PIN, a key or the webhook challenge', () => {
    expect(log.lines.length).toBeGreaterThan(5);
    const secrets = [
      JANE,
      JANE.slice(1),
      '+254722000222',
      OPS_PHONE,
      svc.server.fakes!.payments.challenge,
      svc.server.fakes!.payments.secretKey,
      svc.server.fakes!.sms.apiKey,
      'test-ops-token-0123456789',
    ];
    for (const line of log.lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});
