// The service log as an operator reads it: every 5xx with its request id and the error, and never a full phone
// number, key, token or challenge, not even inside a URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, OPS_PHONE, OPS_TOKEN, recordingLog, sqliteOf, startService } from './harness.js';

const CALLBACK_TOKEN = 'callback-token-abcdef0123456789';
const PHONE = '+254722000222';

describe('the service log', () => {
  const log = recordingLog();
  let svc: Awaited<ReturnType<typeof startService>>;
  let h: ReturnType<typeof http>;
  beforeAll(async () => {
    svc = await startService(undefined, log, { CALLBACK_TOKEN });
    h = http(svc.server);
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  it('logs every 5xx with its request id and the cause', async () => {
    // A fault behind the route: a table it writes is gone.
    sqliteOf(svc.server).exec('ALTER TABLE processed_inbound RENAME TO inbound_gone');
    const sms = await h.call(
      'POST',
      `/${CALLBACK_TOKEN}/sms/incoming`,
      new URLSearchParams({ id: 'ATXid_log_1', from: PHONE, to: '40404', text: '2001#leak', date: '2026-11-27' }),
    );
    expect(sms.status).toBe(500);
    const failures = log.lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    const withStatus = failures.find((l) => l.res?.statusCode === 500);
    expect(withStatus?.reqId).toBeTruthy();
    const cause = failures.find((l) => l.reqId === withStatus.reqId && l.err);
    expect(cause?.err.message).toMatch(/processed_inbound/);
    sqliteOf(svc.server).exec('ALTER TABLE inbound_gone RENAME TO processed_inbound');
  });

  it('masks phones, keys, tokens and the challenge in every line, URLs included', async () => {
    await h.call('GET', `/dev/sms?to=${encodeURIComponent(PHONE)}`);
    await h.call('GET', `/ops/accounts/2001`, undefined, { authorization: `Bearer ${OPS_TOKEN}` });
    await h.call('POST', `/${CALLBACK_TOKEN}/payments/intasend/webhook`, {
      challenge: 'wrong-challenge-value',
      api_ref: 'x',
      state: 'COMPLETE',
    });
    const u = h.call(
      'POST',
      `/${CALLBACK_TOKEN}/ussd`,
      new URLSearchParams({ sessionId: 'log-1', phoneNumber: PHONE, serviceCode: '*384*123#', text: '' }),
    );
    expect((await u).status).toBe(200);
    expect(log.lines.length).toBeGreaterThan(3);
    const secrets = [
      PHONE,
      PHONE.slice(1),
      encodeURIComponent(PHONE),
      OPS_PHONE,
      OPS_TOKEN,
      CALLBACK_TOKEN,
      svc.server.fakes!.payments.challenge,
      svc.server.fakes!.payments.secretKey,
      svc.server.fakes!.sms.apiKey,
    ];
    for (const line of log.lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });
});
