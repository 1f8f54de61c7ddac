// The demo gateways as a process of their own, so that several nodes share one simulated Africa's Talking and one
// IntaSend: an STK prompt pushed by one node can be answered through any other, an SMS sent by any node lands in
// the same inbox, and the providers' callbacks go to the balancer as they would go to a public URL.
import { type FakeAfricasTalking, type FakeIntaSend, fakeAfricasTalking, fakeIntaSend } from '@rolax/ussd-core/fakes';
import Fastify from 'fastify';
import { devRoutes } from '../http/dev.js';

/** What a node needs to use the shared fakes: where they listen and the (fake) credentials they accept. */
export interface SharedGatewaysInfo {
  sms: { url: string; username: string; apiKey: string };
  payments: { url: string; publishableKey: string; secretKey: string; challenge: string };
}

export interface SharedGateways {
  /** Base URL of the control server: `/dev/...` (the customer's phone) and `/dev/gateways`. */
  url: string;
  fakes: { sms: FakeAfricasTalking; payments: FakeIntaSend };
  close(): Promise<void>;
}

export interface SharedGatewaysOptions {
  /** Port of the control server; 0 picks a free one. The fakes themselves always take free ports. */
  port: number;
  /** Where IntaSend posts payment events and Africa's Talking delivery reports: the balancer, normally. */
  paymentWebhookUrl: string;
  deliveryReportUrl: string;
}

export async function startSharedGateways(options: SharedGatewaysOptions): Promise<SharedGateways> {
  const fakes = { sms: fakeAfricasTalking(), payments: fakeIntaSend() };
  const [smsUrl, paymentsUrl] = await Promise.all([fakes.sms.start(), fakes.payments.start()]);
  fakes.payments.setWebhookUrl(options.paymentWebhookUrl);
  fakes.sms.setDeliveryReportUrl(options.deliveryReportUrl);
  const info: SharedGatewaysInfo = {
    sms: { url: smsUrl, username: fakes.sms.username, apiKey: fakes.sms.apiKey },
    payments: {
      url: paymentsUrl,
      publishableKey: fakes.payments.publishableKey,
      secretKey: fakes.payments.secretKey,
      challenge: fakes.payments.challenge,
    },
  };

  const app = Fastify({ logger: false });
  await app.register(devRoutes(fakes));
  app.get('/dev/gateways', async () => info);
  // Everything the fakes accepted, in order, to look at (and for the cluster tests to count duplicates).
  app.get('/dev/traffic', async () => ({
    sms: [...fakes.sms.sent].reverse().map((m) => ({ id: m.messageId, to: m.to, text: m.text, at: m.at })),
    payments: [...fakes.payments.payments].reverse().map((p) => ({
      reference: p.apiRef,
      invoiceId: p.invoiceId,
      phone: p.phone,
      amount: p.amount,
      state: p.state,
    })),
    webhooks: [...fakes.payments.webhookDeliveries]
      .reverse()
      .map((d) => ({ invoiceId: d.invoiceId, state: d.state, answers: d.answers })),
  }));
  app.get('/healthz', async () => ({ ok: true }));
  const address = await app.listen({ port: options.port, host: '127.0.0.1' });
  return {
    url: address,
    fakes,
    async close() {
      await app.close();
      await Promise.all([fakes.sms.close(), fakes.payments.close()]);
    },
  };
}
