// The privacy policy (docs/operations.md): a phone that is not registered on an account may pay an amount it
// types and report a problem for it, and sees nothing else: no use, reading, balance or name, on any screen or
// in any SMS. Statements go only to phones registered on the account.
import type { PaymentGateway } from '@rolax/ussd-core/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createWaterServices } from '../src/domain/index.js';
import { createMenuServices } from '../src/ussd/menu-services.js';
import { eventually, http, startService } from './harness.js';

const STRANGER = '+254799000999';
const OWNER = '+254711000111';
/** What account 1001 holds that a stranger must never see. */
const PRIVATE = [/Wanjiku/i, /Kahawa West/i, /Mwihoko/i, /\bm3\b/, /balance/i, /credit/i, /deni/i, /reading/i];

function expectNothingPrivate(text: string) {
  for (const re of PRIVATE) expect(text, `leaks ${re}`).not.toMatch(re);
}

describe('what a phone not registered on the account sees', () => {
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

  const asStranger = async () => {
    const s = h.ussd(STRANGER);
    await s.dial();
    s.expectScreen('no water account');
    await s.input('1');
    await s.input('1001');
    return s;
  };

  it('is offered only paying and reporting, with no name on the screen', async () => {
    const s = await asStranger();
    const screen = s.expectScreen('1001').last!.text;
    expect(screen).toMatch(/1\. Pay bill/);
    expect(screen).toMatch(/2\. Report an issue/);
    expect(screen).not.toMatch(/Check water use|My account|Statement/);
    expectNothingPrivate(screen);
    // Options a registered phone has are not reachable by number either.
    await s.input('4');
    expectNothingPrivate(s.last!.text);
  });

  it('pays an amount it types, never shown the balance, and its receipt carries no balance', async () => {
    const s = await asStranger();
    await s.input('1');
    const amountScreen = s.expectScreen('Enter amount').last!.text;
    expectNothingPrivate(amountScreen);
    await s.input('150');
    const confirm = s.expectScreen('Pay KES 150 for acc 1001').last!.text;
    expectNothingPrivate(confirm);
    await s.input('2');
    expectNothingPrivate(s.expectEnd('Enter your M-Pesa PIN').last!.text);

    const prompt = (await h.call('GET', `/dev/stk?phone=${encodeURIComponent(STRANGER)}`)).json[0];
    await h.call('POST', `/dev/stk/${prompt.reference}/pin`, { pin: '1234' });
    const receipt = await eventually(async () => {
      const found = (await h.smsTo(STRANGER)).find((m) => /received for a\/c 1001/.test(m.text));
      expect(found).toBeDefined();
      return found!.text;
    });
    expectNothingPrivate(receipt);
    // The owner's own receipt would show the balance: the difference is the phone, not the message.
    expect(receipt).toContain('KES 150 received');
  });

  it('reports an issue; the confirmation names the reference and account only', async () => {
    const s = await asStranger();
    await s.input('2');
    expectNothingPrivate(s.expectScreen('What is the problem?').last!.text);
    await s.input('1');
    await s.input('Water running in the street');
    const end = s.expectEnd(/R-\d{6}/).last!.text;
    expectNothingPrivate(end);
    const reference = end.match(/R-\d{6}/)![0];
    const sms = await eventually(async () => {
      const found = (await h.smsTo(STRANGER)).find((m) => m.text.includes(reference));
      expect(found).toBeDefined();
      return found!.text;
    });
    expectNothingPrivate(sms);
  });

  it('never gets a statement: the service refuses to text one to an unregistered phone', async () => {
    const config = loadConfig({});
    const repos = svc.server.repos;
    const services = createMenuServices({
      repos,
      domain: createWaterServices({ repos, config, paymentProvider: 'intasend-demo' }),
      // Statements never touch the payment gateway.
      gateway: {} as PaymentGateway,
      kickOutbox: () => {},
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    await services.sendStatement('1001', STRANGER, 'en');
    expect(await services.usage('1001', STRANGER)).toBeNull();
    await services.sendStatement('1001', OWNER, 'en');
    expect(await services.usage('1001', OWNER)).not.toBeNull();
    const log = await repos.smsLog.list({ phone: STRANGER, direction: 'out', limit: 50 });
    expect(log.filter((m) => m.outboxKey?.startsWith('statement:'))).toEqual([]);
    const owner = await repos.smsLog.list({ phone: OWNER, direction: 'out', limit: 50 });
    expect(owner.filter((m) => m.outboxKey?.startsWith('statement:'))).toHaveLength(1);
  });

  it('the registered phone still sees its use, balance and name', async () => {
    const s = h.ussd(OWNER);
    await s.dial();
    await s.input('4');
    await s.input('1');
    s.expectScreen('Wanjiku');
  });
});

describe('a shared account', () => {
  it('tells the second phone which phone the M-Pesa prompt is waiting on, masked', async () => {
    const svc = await startService();
    const h = http(svc.server);
    try {
      const first = h.ussd('+254733000333');
      await first.dial();
      await first.input('2');
      await first.input('1');
      await first.input('2');
      first.expectEnd(/PIN/);
      const second = h.ussd('+254733000444');
      await second.dial();
      await second.input('2');
      const text = second.expectEnd('0733***333').last!.text;
      expect(text).not.toContain('+254733000333');
      expect(text).not.toMatch(/your M-Pesa PIN/);
    } finally {
      await svc.server.close();
      svc.removeData();
    }
  });
});
