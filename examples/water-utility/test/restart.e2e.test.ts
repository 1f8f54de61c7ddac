import { describe, expect, it } from 'vitest';
import { eventually, http, startService } from './harness.js';

describe('restarting the service', () => {
  it('keeps every issue and payment, and answers a webhook that arrives after the restart', async () => {
    const first = await startService();
    const h1 = http(first.server);
    const phone = '+254722000222';

    const s = h1.ussd(phone);
    await s.dial();
    await s.input('3');
    await s.input('1');
    await s.input('0');
    const reference = s.expectEnd(/R-\d{6}/).last!.text.match(/R-\d{6}/)![0];
    await h1.incomingSms('ATXid_restart_1', phone, '2001#No water since morning');

    const pay = h1.ussd(phone);
    await pay.dial();
    await pay.input('2');
    await pay.input('1');
    await pay.input('2');
    pay.expectEnd('Enter your M-Pesa PIN');
    const fake = first.server.fakes!.payments;
    const pending = fake.pending(phone)[0]!;

    // A session drops while the customer types an amount; the service restarts before they redial.
    const dropped = h1.ussd('+254711000111');
    await dropped.dial();
    await dropped.input('2');
    await dropped.input('2');
    await dropped.input('2');
    dropped.expectScreen('Enter amount');

    const issuesBefore = (await h1.ops('GET', '/issues?limit=500')).json.issues;
    const paymentsBefore = (await h1.ops('GET', '/payments')).json.payments;
    await first.server.close();

    const second = await startService(first.dataDir);
    const h2 = http(second.server);
    try {
      expect((await h2.ops('GET', '/issues?limit=500')).json.issues).toEqual(issuesBefore);
      expect((await h2.ops('GET', '/payments')).json.payments).toEqual(paymentsBefore);
      expect(issuesBefore.map((i: { reference: string }) => i.reference)).toContain(reference);

      const redial = h2.ussd('+254711000111');
      await redial.dial();
      redial.expectScreen('Continue where you left off?');
      await redial.input('1');
      redial.expectScreen('Enter amount');
      await redial.input('300');
      redial.expectScreen('Pay KES 300 for acc 1002');

      // The customer enters the PIN after the restart: the provider's webhook still lands on the same payment.
      const body = {
        invoice_id: pending.invoiceId,
        state: 'COMPLETE',
        provider: 'M-PESA',
        value: String(pending.amount),
        net_amount: String(pending.amount),
        currency: 'KES',
        account: pending.phone,
        api_ref: pending.apiRef,
        mpesa_reference: 'SRT1RESTART',
        failed_reason: null,
        failed_code: null,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
        challenge: second.server.fakes!.payments.challenge,
      };
      expect((await h2.call('POST', '/payments/intasend/webhook', body)).status).toBe(200);
      expect((await h2.call('POST', '/payments/intasend/webhook', body)).status).toBe(200);
      const payment = (await h2.ops('GET', '/payments')).json.payments.find(
        (p: { reference: string }) => p.reference === pending.apiRef,
      );
      expect(payment).toMatchObject({ state: 'COMPLETE', mpesaReference: 'SRT1RESTART' });
      await eventually(async () => {
        expect((await h2.smsTo(phone)).filter((m) => m.text.includes('SRT1RESTART'))).toHaveLength(1);
      });
    } finally {
      await second.server.close();
      second.removeData();
    }
  });
});
