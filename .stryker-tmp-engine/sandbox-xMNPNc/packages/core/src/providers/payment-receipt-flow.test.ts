// @ts-nocheck
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError, type UssdError } from '../errors.js';
import { memoryOutboxStore } from '../outbox/memory-outbox-store.js';
import { createSmsOutbox, type SmsOutbox } from '../outbox/sms-outbox.js';
import type { PaymentEvent, PaymentGateway, PaymentState } from '../ports/payments.js';
import { type FakeAfricasTalking, fakeAfricasTalking } from '../testing/fakes/fake-africastalking.js';
import { type FakeIntaSend, fakeIntaSend } from '../testing/fakes/fake-intasend.js';
import { type WebhookReceiver, webhookReceiver } from '../testing/fakes/webhook-receiver.js';
import { africasTalkingSms } from './africastalking-sms.js';
import { intasendPayments } from './intasend.js';
import { paymentFailureMessage } from './payment-failure.js';
import { applyPaymentEvent } from './payment-state.js';

const phone = '+254711000111';

interface LedgerRow {
  state: PaymentState;
  amount?: number | undefined;
  receipt?: string | undefined;
  /** Every state the webhooks carried, in arrival order. */
  seen: PaymentState[];
}

/**
 * The primitives wired the way a service does: webhook -> parseWebhook -> applyPaymentEvent -> ledger, and an SMS
 * enqueued in the outbox when a payment becomes final. Real clients, fakes over HTTP.
 */
describe('payment webhooks to ledger to receipt SMS', () => {
  let at: FakeAfricasTalking;
  let intasend: FakeIntaSend;
  let receiver: WebhookReceiver;
  let gateway: PaymentGateway;
  let outbox: SmsOutbox;
  let ledger: Map<string, LedgerRow>;
  let finals: PaymentEvent[];
  let rejected: UssdError[];

  const handle = async (event: PaymentEvent) => {
    const row = ledger.get(event.reference);
    const applied = applyPaymentEvent(row?.state ?? null, event.state);
    const next: LedgerRow = {
      ...(row ?? { seen: [] }),
      state: applied.state,
      seen: [...(row?.seen ?? []), event.state],
    };
    if (applied.changed && event.state === 'COMPLETE') {
      next.amount = event.amount;
      next.receipt = event.providerReference;
    }
    ledger.set(event.reference, next);
    if (!applied.becameFinal) return;
    finals.push(event);
    const text =
      event.state === 'COMPLETE'
        ? `Payment of KES ${event.amount} received. M-Pesa ref ${event.providerReference}.`
        : paymentFailureMessage(event.failure?.reason ?? 'unknown', 'en');
    await outbox.enqueue({ to: [event.account ?? phone], text }, `payment-sms:${event.reference}`);
  };

  beforeEach(async () => {
    ledger = new Map();
    finals = [];
    rejected = [];
    at = fakeAfricasTalking();
    await at.start();
    receiver = webhookReceiver(async ({ body }) => {
      try {
        await handle(gateway.parseWebhook(body));
        return 200;
      } catch (err) {
        if (isUssdError(err)) rejected.push(err);
        throw err;
      }
    });
    intasend = fakeIntaSend({ webhookUrl: await receiver.start(), webhookRetries: 2, webhookRetryDelayMs: 5 });
    await intasend.start();
    gateway = intasendPayments({
      publishableKey: intasend.publishableKey,
      secretKey: intasend.secretKey,
      webhookChallenge: intasend.challenge,
      baseUrl: intasend.url,
    });
    outbox = createSmsOutbox({
      store: memoryOutboxStore(),
      sender: africasTalkingSms({ username: at.username, apiKey: at.apiKey, baseUrl: at.url, retryBaseMs: 1 }),
    });
  });

  afterEach(async () => {
    await intasend.close();
    await receiver.close();
    await at.close();
  });

  const pushBill = () =>
    gateway.requestPayment(
      { amount: 984, currency: 'KES', phoneNumber: phone, reference: 'BILL-1001-2026-11', narrative: 'Water bill' },
      { idempotencyKey: 'BILL-1001-2026-11' },
    );

  it('records one payment and sends one receipt for five deliveries, duplicated and out of order', async () => {
    const { providerId } = await pushBill();
    intasend.webhookFaults({ duplicates: 1, outOfOrder: true });
    await intasend.enterPin(providerId);
    intasend.webhookFaults({});
    await intasend.redeliver(providerId, ['COMPLETE']);
    await outbox.flush();

    const deliveries = [...intasend.webhookDeliveries].reverse();
    expect(deliveries.map((d) => d.state)).toEqual(['COMPLETE', 'COMPLETE', 'PROCESSING', 'PROCESSING', 'COMPLETE']);
    expect(deliveries.every((d) => d.answers.join() === '200')).toBe(true);
    expect(rejected).toEqual([]);

    const mpesaRef = intasend.payments[0]?.mpesaReference;
    expect(mpesaRef).toMatch(/^S[A-Z0-9]{9}$/);
    expect([...ledger.entries()]).toEqual([
      [
        'BILL-1001-2026-11',
        {
          state: 'COMPLETE',
          amount: 984,
          receipt: mpesaRef,
          seen: ['COMPLETE', 'COMPLETE', 'PROCESSING', 'PROCESSING', 'COMPLETE'],
        },
      ],
    ]);
    expect(finals).toHaveLength(1);
    expect(at.messagesTo(phone).map((m) => m.text)).toEqual([`Payment of KES 984 received. M-Pesa ref ${mpesaRef}.`]);
    expect(at.sent).toHaveLength(1);
  });

  it('rejects webhooks with a wrong challenge with 401 and records nothing', async () => {
    const { providerId } = await pushBill();
    intasend.webhookFaults({ challenge: 'not-the-dashboard-secret' });
    await intasend.enterPin(providerId);
    await outbox.flush();

    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((e) => e.code === 'WEBHOOK_UNAUTHORIZED' && e.status === 401)).toBe(true);
    // Each of the two events was tried three times (one delivery plus two retries), all answered 401.
    expect(intasend.webhookDeliveries.map((d) => d.answers)).toEqual([
      [401, 401, 401],
      [401, 401, 401],
    ]);
    expect(ledger.size).toBe(0);
    expect(at.sent).toHaveLength(0);

    // The same events with the genuine challenge are accepted, so the 401s above were the challenge alone.
    intasend.webhookFaults({});
    await intasend.redeliver(providerId);
    await outbox.flush();
    expect(ledger.get('BILL-1001-2026-11')?.state).toBe('COMPLETE');
    expect(at.sent).toHaveLength(1);
  });

  it('sends one failure SMS, in plain words, for a cancelled prompt delivered twice', async () => {
    const { providerId } = await pushBill();
    intasend.webhookFaults({ duplicates: 1 });
    await intasend.cancel(providerId);
    await outbox.flush();
    expect(ledger.get('BILL-1001-2026-11')?.state).toBe('FAILED');
    expect(finals.map((e) => e.failure?.reason)).toEqual(['cancelled']);
    expect(at.messagesTo(phone).map((m) => m.text)).toEqual(['You cancelled the M-Pesa prompt.']);
  });
});
