// @ts-nocheck
import type { FakeAfricasTalking, FakeIntaSend } from '@rolax/ussd-core/fakes';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const phoneQuery = (name: string) =>
  z
    .object({ [name]: z.string().trim().min(4, `${name} is required`) })
    .transform((q) => normalizePhone(String(q[name])));

/** `0711000111`, `254711000111` and `+254711000111` are one phone. */
function normalizePhone(p: string): string {
  const digits = p.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('0')) return `+254${digits.slice(1)}`;
  return `+${digits}`;
}

/**
 * Demo-only helpers that act as the customer's phone: its SMS inbox, and the M-Pesa prompt on it.
 * Registered only when the fakes run, so they answer 404 with real credentials.
 */
export function devRoutes(fakes: { sms: FakeAfricasTalking; payments: FakeIntaSend }) {
  return async (fastify: FastifyInstance) => {
    fastify.get('/dev/sms', async (req, reply) => {
      const parsed = phoneQuery('to').safeParse(req.query);
      if (!parsed.success) return reply.code(400).send({ error: 'INVALID_REQUEST', message: 'to is required' });
      return fakes.sms.messagesTo(parsed.data).map((m) => ({
        id: m.messageId,
        to: m.to,
        from: m.from ?? null,
        text: m.text,
        at: new Date(m.at).toISOString(),
      }));
    });

    fastify.get('/dev/stk', async (req, reply) => {
      const parsed = phoneQuery('phone').safeParse(req.query);
      if (!parsed.success) return reply.code(400).send({ error: 'INVALID_REQUEST', message: 'phone is required' });
      return fakes.payments.pending(parsed.data).map((p) => ({
        reference: p.apiRef,
        invoiceId: p.invoiceId,
        amount: p.amount,
        currency: p.currency,
        narrative: p.narrative ?? null,
      }));
    });

    const act =
      (action: 'pin' | 'cancel') =>
      async (
        req: { params: unknown; body: unknown },
        reply: { code: (n: number) => { send: (b: unknown) => unknown } },
      ) => {
        const { reference } = req.params as { reference: string };
        const found = fakes.payments.find(reference);
        if (found?.state !== 'PENDING') {
          return reply.code(404).send({ error: 'NOT_FOUND', message: `no pending prompt ${reference}` });
        }
        const pin = (req.body as { pin?: unknown } | undefined)?.pin;
        const p =
          action === 'pin'
            ? await fakes.payments.enterPin(reference, typeof pin === 'string' ? pin : undefined)
            : await fakes.payments.cancel(reference);
        return { reference: p.apiRef, state: p.state };
      };
    fastify.post('/dev/stk/:reference/pin', act('pin'));
    fastify.post('/dev/stk/:reference/cancel', act('cancel'));
  };
}
