// The USSD simulator: a browser page that plays a customer's phone against this very service. Demo mode only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DemoCustomer } from '../db/seed.js';
import { registerStaticPage } from '../http/static-page.js';

export interface SimulatorOptions {
  customers: readonly DemoCustomer[];
  /** Phones that get the operations alerts; the page shows the first one's inbox by default. */
  opsPhones: readonly string[];
  /** The USSD callback route, callback token included. It stays server-side. */
  ussdPath: string;
}

const hop = z.object({
  sessionId: z.string().min(1).max(64),
  phoneNumber: z.string().min(4).max(20),
  serviceCode: z.string().min(1).max(32),
  text: z.string().max(500),
});

/** `GET /simulator` and its assets, `GET /dev/customers`, and `POST /simulator/ussd` (one turn, as the gateway). */
export function simulatorRoutes(opts: SimulatorOptions) {
  return async (fastify: FastifyInstance) => {
    registerStaticPage(fastify, '/simulator', new URL('./', import.meta.url));

    fastify.get('/dev/customers', async () => ({ customers: opts.customers, opsPhones: opts.opsPhones }));

    // The page posts here rather than to the callback itself so a CALLBACK_TOKEN never reaches the browser.
    // The turn then goes through the real USSD route, codec and all, exactly as a gateway's would.
    fastify.post('/simulator/ussd', async (req, reply) => {
      const parsed = hop.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({ error: 'INVALID_REQUEST', message: 'invalid USSD turn' });
      const res = await fastify.inject({
        method: 'POST',
        url: opts.ussdPath,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...parsed.data, networkCode: '63902' }).toString(),
      });
      return reply
        .code(res.statusCode)
        .type(String(res.headers['content-type'] ?? 'text/plain'))
        .send(res.body);
    });
  };
}
