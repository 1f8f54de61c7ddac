import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startWaterServer } from '../src/server.js';
import { eventually, http, startService } from './harness.js';

const OTIENO = '+254722000222';

describe('the water service, continued', () => {
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

  it('offers a customer whose session dropped while entering an amount to continue where they left off', async () => {
    const dropped = h.ussd(OTIENO);
    await dropped.dial();
    await dropped.input('2');
    await dropped.input('2');
    dropped.expectScreen('Enter amount');
    // The network drops the session here. The customer redials.
    const again = h.ussd(OTIENO);
    await again.dial();
    again.expectScreen('Continue where you left off?\n1. Continue\n2. Start over');
    await again.input('1');
    again.expectScreen('Enter amount');
    await again.input('5');
    again.expectScreen('Enter a whole amount from 10 to 150,000.');
    await again.input('250');
    again.expectScreen('Pay KES 250 for acc 2001 with M-Pesa 0722***222?');
    await again.input('1');
    again.expectEnd('Payment cancelled');
    // Offered once: the next dial starts at home.
    const third = h.ussd(OTIENO);
    await third.dial();
    third.expectScreen('rolax Water');
  });

  it('lets a phone with no account pay or report for an account number, and helps when it is unknown', async () => {
    const s = h.ussd('+254799000001');
    await s.dial();
    s.expectScreen('This number has no water account');
    await s.input('1');
    await s.input('12');
    s.expectScreen('Account numbers are 3 to 10 digits.');
    await s.input('2001');
    // Someone else's account: pay or report only (the privacy policy).
    expect(s.expectScreen('1. Pay bill').last!.text).not.toContain('Check water use');
    const u = h.ussd('+254799000002');
    await u.dial();
    await u.input('1');
    await u.input('9999');
    u.expectEnd('Account 9999 was not found. Call 0800 720 000 for help.');
  });

  it('remembers the language a phone chose', async () => {
    const s = h.ussd('+254744000555');
    await s.dial();
    await s.input('4');
    s.expectScreen('9. Lugha / Language');
    await s.input('9');
    await s.input('2');
    s.expectScreen('Angalia matumizi');
    const next = h.ussd('+254744000555');
    await next.dial();
    next.expectScreen('1. Angalia matumizi\n2. Lipa bili');
  });

  it('texts a statement on request and records the delivery report of every SMS', async () => {
    const s = h.ussd('+254711000111');
    await s.dial();
    await s.input('1');
    await s.input('2');
    s.expectScreen(/Acc 1002 \w+ \d{4}: [\d.]+ m3/);
    await s.input('9');
    s.expectEnd('Your statement for account 1002 will arrive by SMS shortly.');
    await eventually(async () => {
      const log = await svc.server.repos.smsLog.list({ phone: '+254711000111' });
      const statement = log.find((e) => e.direction === 'out' && e.text.includes('1002'));
      expect(statement?.status).toBe('sent');
      expect(statement?.deliveryStatus).toBe('Success');
    });
  });

  it('texts the reporter when operations acknowledge and resolve an issue', async () => {
    await h.incomingSms('ATXid_ops_1', OTIENO, 'A/C 2001 # low pressure all day');
    const [issue] = (await h.ops('GET', '/issues?account=2001&status=open')).json.issues;
    expect(issue.category).toBe('low_pressure');
    expect((await h.ops('PATCH', `/issues/${issue.reference}`, { status: 'acknowledged' })).status).toBe(200);
    expect((await h.ops('PATCH', `/issues/${issue.reference}`, { status: 'resolved' })).status).toBe(200);
    expect((await h.ops('PATCH', `/issues/${issue.reference}`, { status: 'bogus' })).status).toBe(400);
    await eventually(async () => {
      const texts = (await h.smsTo(OTIENO)).filter((m) => m.text.includes(issue.reference)).map((m) => m.text);
      expect(texts).toHaveLength(3);
    });
  });
});

describe('onboarding customers through operations', () => {
  it('imports customers with phones, accounts and meters; they can dial at once, and readings flow in', async () => {
    const svc = await startService();
    const h = http(svc.server);
    try {
      const customer = {
        code: 'C-7001',
        name: 'Amina Njoroge',
        phones: ['+254788000777'],
        accounts: [
          {
            number: '7001',
            name: 'Amina Njoroge',
            zone: 'Thika East',
            location: 'Kiganjo, plot 12',
            meters: [{ id: 'MTR-7001', sensorId: 'SN-7001' }],
          },
        ],
      };
      // One bad row refuses the whole batch and changes nothing.
      const bad = await h.ops('POST', '/customers', {
        customers: [customer, { ...customer, code: 'C-7002', phones: ['0712'] }],
      });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toMatch(/customers\.1\.phones\.0: phone numbers are E\.164/);
      expect((await h.ops('GET', '/accounts/7001')).status).toBe(404);

      const first = await h.ops('POST', '/customers', { customers: [customer] });
      expect(first.json).toEqual({ customers: 1, accounts: 1, phones: 1, meters: 1 });
      // Sending the same file again changes nothing.
      expect((await h.ops('POST', '/customers', { customers: [customer] })).status).toBe(200);
      const view = (await h.ops('GET', '/accounts/7001')).json;
      expect(view.phones).toEqual(['+254788000777']);
      expect(view.meters).toHaveLength(1);

      const s = h.ussd('+254788000777');
      await s.dial();
      await s.input('1');
      s.expectEnd('No meter readings for account 7001 yet.');

      const now = Date.now();
      const readings = [0, 1, 2].map((d) => ({
        sensorId: 'SN-7001',
        reading: 100 + d * 0.4,
        timeStamp: new Date(now - (2 - d) * 3_600_000).toISOString(),
      }));
      expect((await h.ops('POST', '/readings', readings)).status).toBe(200);
      const again = h.ussd('+254788000777');
      await again.dial();
      await again.input('1');
      again.expectScreen(/Acc 7001 \w+ \d{4}: [\d.]+ m3\nLast reading 100\.8 m3/);
    } finally {
      await svc.server.close();
      svc.removeData();
    }
  });
});

describe('with real credentials', () => {
  it('turns the demo helpers and the simulator off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rolax-live-'));
    const server = await startWaterServer(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        AT_USERNAME: 'utility',
        AT_API_KEY: 'atsk_0123456789abcdef',
        INTASEND_PUBLISHABLE_KEY: 'ISPubKey_live_0123456789',
        INTASEND_SECRET_KEY: 'ISSecretKey_live_0123456789',
        INTASEND_WEBHOOK_CHALLENGE: 'a-long-webhook-secret',
        OPS_TOKEN: 'a-long-ops-token-for-tests',
        OPS_PHONES: '+254700000009',
        CALLBACK_TOKEN: 'a-long-callback-token',
      }),
    );
    try {
      expect(server.fakes).toBeUndefined();
      for (const path of ['/dev/sms?to=%2B254711000111', '/dev/stk?phone=%2B254711000111', '/simulator']) {
        expect((await fetch(`${server.url}${path}`)).status).toBe(404);
      }
      expect((await fetch(`${server.url}/dev/stk/PAY-1/pin`, { method: 'POST' })).status).toBe(404);
      expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ ok: true, mode: 'live' });
      // No demo data without SEED_DEMO_DATA: the live database starts empty.
      expect(await server.repos.accounts.list()).toEqual([]);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
