// @ts-nocheck
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError } from '../../errors.js';
import type { PaymentGateway, PaymentRequest } from '../../ports/payments.js';

export interface PaymentGatewayHarness {
  gateway: PaymentGateway;
  /** A payer the provider prompts, E.164. */
  phoneNumber: string;
  /** Default KES. */
  currency?: string | undefined;
  /** Plays the customer paying; resolves with the webhook bodies the provider sent for it, oldest first. */
  pay(providerId: string): Promise<unknown[]>;
  /** Plays the customer dismissing the prompt; resolves like `pay`. */
  cancel(providerId: string): Promise<unknown[]>;
  /** Turns a genuine webhook body into one that fails the authenticity check (wrong challenge, bad signature). */
  forge(body: unknown): unknown;
  teardown?(): Promise<void>;
}

/** The behaviour every PaymentGateway shares, run against a fake or a real provider's sandbox. */
export function paymentGatewayContract(name: string, setup: () => Promise<PaymentGatewayHarness>): void {
  describe(`PaymentGateway contract: ${name}`, () => {
    let h: PaymentGatewayHarness;
    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      await h.teardown?.();
    });
    const request = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
      amount: 150,
      currency: h.currency ?? 'KES',
      phoneNumber: h.phoneNumber,
      reference: `CONTRACT-${randomUUID().slice(0, 8)}`,
      narrative: 'Contract test',
      ...overrides,
    });
    const ctx = () => ({ idempotencyKey: randomUUID() });
    const last = (bodies: unknown[]) => {
      expect(bodies.length).toBeGreaterThan(0);
      return bodies[bodies.length - 1];
    };

    it('has a name', () => {
      expect(h.gateway.name).toMatch(/\S/);
    });

    it('queues a payment request and echoes the reference', async () => {
      const req = request();
      const requested = await h.gateway.requestPayment(req, ctx());
      expect(requested.providerId).toMatch(/\S/);
      expect(requested.reference).toBe(req.reference);
      expect(['PENDING', 'PROCESSING']).toContain(requested.state);
    });

    it('parses the webhook of a paid request as COMPLETE, with amount and receipt', async () => {
      const req = request({ amount: 275 });
      const { providerId } = await h.gateway.requestPayment(req, ctx());
      const event = h.gateway.parseWebhook(last(await h.pay(providerId)));
      expect(event).toMatchObject({ providerId, reference: req.reference, state: 'COMPLETE', amount: 275 });
      expect(event.providerReference).toMatch(/\S/);
      expect(event.failure).toBeUndefined();
    });

    it('parses the webhook of a cancelled request as FAILED with the reason cancelled', async () => {
      const req = request();
      const { providerId } = await h.gateway.requestPayment(req, ctx());
      const event = h.gateway.parseWebhook(last(await h.cancel(providerId)));
      expect(event).toMatchObject({ providerId, reference: req.reference, state: 'FAILED' });
      expect(event.failure?.reason).toBe('cancelled');
    });

    it('rejects a forged webhook with WEBHOOK_UNAUTHORIZED (401)', async () => {
      const { providerId } = await h.gateway.requestPayment(request(), ctx());
      const forged = h.forge(last(await h.pay(providerId)));
      expect(() => h.gateway.parseWebhook(forged)).toThrow(
        expect.objectContaining({ code: 'WEBHOOK_UNAUTHORIZED', status: 401 }),
      );
    });

    it('rejects a body that is not a webhook', () => {
      for (const body of ['not json', 42, null, []]) {
        let caught: unknown;
        try {
          h.gateway.parseWebhook(body);
        } catch (err) {
          caught = err;
        }
        expect(isUssdError(caught, 'INVALID_REQUEST') || isUssdError(caught, 'WEBHOOK_UNAUTHORIZED')).toBe(true);
      }
    });

    it('refuses a malformed phone number before charging anyone', async () => {
      await expect(h.gateway.requestPayment(request({ phoneNumber: 'not-a-phone' }), ctx())).rejects.toSatisfy((err) =>
        isUssdError(err),
      );
    });

    it('reports the current state on a status check, when it has one', async ({ skip }) => {
      const status = h.gateway.status?.bind(h.gateway);
      if (!status) return skip();
      const req = request();
      const { providerId } = await h.gateway.requestPayment(req, ctx());
      await h.pay(providerId);
      const event = await status(providerId, {});
      expect(event).toMatchObject({ providerId, reference: req.reference, state: 'COMPLETE' });
    });
  });
}
