// What a stranger can make the service do: forged or repeated reports are limited per phone and per account,
// repeats fold into one issue, the operations team gets one alert per account and category per hour with a count,
// and no phone is sent more than a few SMS an hour by anything a stranger can trigger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRANGER_SMS_PER_HOUR } from '../src/domain/abuse.js';
import { http, OPS_PHONE, startService } from './harness.js';

const VICTIM = '+254722000222';

describe('abuse limits', () => {
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

  const outTo = async (phone: string) =>
    (await svc.server.repos.smsLog.list({ phone, direction: 'out', limit: 500 })).filter(
      (m) => Date.parse(m.createdAt) > Date.now() - 3_600_000,
    );

  it('20 forged SMS reports naming a victim: one issue, a few SMS to the victim, one alert', async () => {
    const opsBefore = (await outTo(OPS_PHONE)).length;
    const victimBefore = (await outTo(VICTIM)).length;
    const texts = ['2001#Leak at the gate', '2001#leaking pipe', '2001#Leak near meter', 'acc 2001 # leak'];
    for (let i = 0; i < 20; i++) {
      const res = await h.incomingSms(`ATXid_forged_${i}`, VICTIM, texts[i % texts.length] as string);
      expect(res.status).toBe(200);
    }
    const toVictim = (await outTo(VICTIM)).length - victimBefore;
    const alerts = (await outTo(OPS_PHONE)).filter((m) => /a\/c 2001|2001/.test(m.text));
    expect(toVictim).toBeLessThanOrEqual(STRANGER_SMS_PER_HOUR);
    expect((await outTo(OPS_PHONE)).length - opsBefore).toBe(1);
    const leaks = (await h.ops('GET', '/issues?account=2001&category=leak&status=open')).json.issues;
    expect(leaks).toHaveLength(1);
    expect(leaks[0].reports).toBeGreaterThan(1);
    expect(alerts.at(0)?.text).toBeDefined();
  });

  it('limits reports per account from many phones, and alerts once per category with the count', async () => {
    const opsBefore = (await outTo(OPS_PHONE)).length;
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const phone = `+2547990010${String(i).padStart(2, '0')}`;
      const res = await h.incomingSms(`ATXid_many_${i}`, phone, `4001#No water since morning ${i}`);
      outcomes.push(res.json.outcome);
    }
    const issues = (await h.ops('GET', '/issues?account=4001&limit=100')).json.issues;
    expect(issues).toHaveLength(1);
    expect(issues[0].reports).toBeLessThanOrEqual(10);
    expect(outcomes.filter((o) => o === 'limited').length).toBeGreaterThanOrEqual(20);
    const alerts = (await outTo(OPS_PHONE)).length - opsBefore;
    expect(alerts).toBe(1);
  });

  it('a phone that keeps reporting over USSD is told politely to call instead', async () => {
    const phone = '+254799002000';
    const ends: string[] = [];
    for (let i = 0; i < 8; i++) {
      const s = h.ussd(phone);
      await s.dial();
      await s.input('1');
      await s.input('5001');
      await s.input('2');
      await s.input(String((i % 7) + 1));
      await s.input(`problem ${i}`);
      ends.push(s.last!.text);
    }
    expect(ends.filter((t) => /R-\d{6}/.test(t)).length).toBeLessThanOrEqual(5);
    expect(ends.at(-1)).toMatch(/several reports.*call/);
    expect((await outTo(phone)).length).toBeLessThanOrEqual(STRANGER_SMS_PER_HOUR);
  });
});
