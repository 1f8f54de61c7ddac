// Input a gateway or an attacker may send: every bad field is a 4xx naming it or is ignored as stale, and nothing
// is stored from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, http, startService } from './harness.js';

describe('bad input at the public endpoints', () => {
  let svc: Awaited<ReturnType<typeof startService>>;
  let h: ReturnType<typeof http>;
  beforeAll(async () => {
    svc = await startService();
    h = http(svc.server);
  });
  afterAll(async () => {
    await svc.server.close();
    svc.removeData();
  });

  it.each(['/sms/incoming', '/ussd/events', '/sms/delivery'])('%s answers crafted JSON with a 400', async (path) => {
    for (const body of [{ a: { toString: 'x' } }, { id: { toString: 'x' }, from: { valueOf: 1 } }, [1, 2], 'x', null]) {
      const res = await h.call('POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses a USSD hop whose sessionId is a number or whose serviceCode is an object, naming the field', async () => {
    const hop = { sessionId: 'S-1', phoneNumber: '+254711000111', serviceCode: '*384*123#', text: '' };
    const numeric = await h.call('POST', '/ussd', { ...hop, sessionId: 123 });
    expect(numeric.status).toBe(400);
    expect(numeric.text).toContain('sessionId');
    const object = await h.call('POST', '/ussd', { ...hop, serviceCode: { a: 1 } });
    expect(object.status).toBe(400);
    expect(object.text).toContain('serviceCode');
  });

  it('refuses a reading of 1e300 and one lower than the last, and stores neither', async () => {
    const last = await svc.server.repos.readings.latest('MTR-2001');
    const later = (minutes: number) => new Date(Date.parse(last!.at) + minutes * 60_000).toISOString();
    const res = await h.ops('POST', '/readings', [
      { sensorId: 'SN-2001', reading: 1e300, timeStamp: later(1) },
      { sensorId: 'SN-2001', reading: last!.value - 5, timeStamp: later(2) },
      { sensorId: 'SN-2001', reading: last!.value + 0.5, timeStamp: later(3) },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.inserted).toBe(1);
    expect(res.json.invalid.map((i: { index: number }) => i.index)).toEqual([0, 1]);
    expect(res.json.invalid[0].message).toMatch(/reading/);
    expect(res.json.invalid[1].message).toMatch(/lower than/);
    expect((await svc.server.repos.readings.latest('MTR-2001'))?.value).toBe(last!.value + 0.5);
  });

  it('stores no NUL or control characters in a report description, from SMS or USSD', async () => {
    await h.incomingSms('ATXid_nul_1', '+254722000222', '2001#Leak\u0000 at\u0007 the\u001b[31m gate');
    const s = h.ussd('+254722000222');
    await s.dial();
    await s.input('3');
    await s.input('6');
    await s.input('Pipe\u0000burst\u0008 here');
    s.expectEnd(/R-\d{6}/);
    const issues = (await h.ops('GET', '/issues?account=2001&limit=10')).json.issues as { description: string }[];
    const descriptions = issues.map((i) => i.description).filter(Boolean);
    expect(descriptions).toContain('Leak at the [31m gate');
    expect(descriptions).toContain('Pipe burst here');
    for (const d of descriptions) expect(d).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('keeps a final delivery status when a late Buffered report arrives', async () => {
    await h.incomingSms('ATXid_dlr_1', '+254744000555', 'hello');
    const sent = await eventually(async () => {
      const out = await svc.server.repos.smsLog.list({ phone: '+254744000555', direction: 'out', limit: 5 });
      const withId = out.find((m) => m.providerMessageId);
      expect(withId).toBeDefined();
      return withId!;
    });
    const report = (status: string) =>
      new URLSearchParams({ id: sent.providerMessageId!, status, phoneNumber: '+254744000555' });
    expect((await h.call('POST', '/sms/delivery', report('Success'))).status).toBe(200);
    expect((await h.call('POST', '/sms/delivery', report('Buffered'))).status).toBe(200);
    const after = await svc.server.repos.smsLog.list({ phone: '+254744000555', direction: 'out', limit: 5 });
    expect(after.find((m) => m.providerMessageId === sent.providerMessageId)?.deliveryStatus).toBe('Success');
  });
});
