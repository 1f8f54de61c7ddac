// @ts-nocheck
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUssdError } from '../../errors.js';
import type { SmsSender } from '../../ports/sms.js';

export interface SmsSenderHarness {
  sender: SmsSender;
  /** Two or more numbers the provider accepts. */
  recipients: [string, string, ...string[]];
  /** A number the provider refuses per recipient (e.g. malformed), when it has such a thing. */
  invalidRecipient?: string | undefined;
  /** Texts the provider accepted for `phone`, newest first: what the phone received. */
  received(phone: string): Promise<string[]>;
  teardown?(): Promise<void>;
}

/** The behaviour every SmsSender shares, run against a fake or a real provider. */
export function smsSenderContract(name: string, setup: () => Promise<SmsSenderHarness>): void {
  describe(`SmsSender contract: ${name}`, () => {
    let h: SmsSenderHarness;
    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      await h.teardown?.();
    });
    const text = () => `contract ${randomUUID().slice(0, 8)}`;

    it('has a name', () => {
      expect(h.sender.name).toMatch(/\S/);
    });

    it('sends to one recipient and reports it accepted with a message id', async () => {
      const body = text();
      const [phone] = h.recipients;
      const result = await h.sender.send({ to: [phone], text: body }, { idempotencyKey: randomUUID() });
      expect(result.recipients).toHaveLength(1);
      expect(result.recipients[0]).toMatchObject({ to: phone, status: 'accepted' });
      expect(result.recipients[0]?.messageId).toMatch(/\S/);
      expect(await h.received(phone)).toContain(body);
    });

    it('reports every recipient of a multi-recipient message', async () => {
      const body = text();
      const result = await h.sender.send({ to: h.recipients, text: body }, { idempotencyKey: randomUUID() });
      expect(result.recipients.map((r) => r.to).sort()).toEqual([...h.recipients].sort());
      expect(result.recipients.every((r) => r.status === 'accepted')).toBe(true);
      for (const phone of h.recipients) expect(await h.received(phone)).toContain(body);
    });

    it('reports a refused recipient as failed with a reason, and still sends to the others', async ({ skip }) => {
      if (!h.invalidRecipient) return skip();
      const body = text();
      const [phone] = h.recipients;
      const result = await h.sender.send(
        { to: [phone, h.invalidRecipient], text: body },
        { idempotencyKey: randomUUID() },
      );
      const bad = result.recipients.find((r) => r.status !== 'accepted');
      expect(bad?.status).toBe('failed');
      expect(bad?.reason).toMatch(/\S/);
      expect(result.recipients.filter((r) => r.status === 'accepted').map((r) => r.to)).toEqual([phone]);
      expect(await h.received(phone)).toContain(body);
    });

    it('does not send when the signal is already aborted', async () => {
      const body = text();
      const [phone] = h.recipients;
      const sending = h.sender.send(
        { to: [phone], text: body },
        { idempotencyKey: randomUUID(), signal: AbortSignal.abort() },
      );
      await expect(sending).rejects.toSatisfy((err) => isUssdError(err));
      expect(await h.received(phone)).not.toContain(body);
    });
  });
}
