// @ts-nocheck
// The USSD simulator: a browser page that plays a customer's phone against this very service. Demo mode only.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DemoCustomer } from '../db/seed.js';

export interface SimulatorOptions {
  customers: readonly DemoCustomer[];
  /** Phones that get the operations alerts; the page shows the first one's inbox by default. */
  opsPhones: readonly string[];
  /** The USSD callback route, callback token included. It stays server-side. */
  ussdPath: string;
}

const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

// Everything the page loads comes from this route: the policy makes a stray external asset fail loudly.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const hop = z.object({
  sessionId: z.string().min(1).max(64),
  phoneNumber: z.string().min(4).max(20),
  serviceCode: z.string().min(1).max(32),
  text: z.string().max(500),
});

/** `GET /simulator` and its assets, `GET /dev/customers`, and `POST /simulator/ussd` (one turn, as the gateway). */
export function simulatorRoutes(opts: SimulatorOptions) {
  const assets = {
    '/simulator': { type: 'text/html; charset=utf-8', body: read('page.html') },
    '/simulator/page.css': { type: 'text/css; charset=utf-8', body: read('page.css') },
    '/simulator/page.js': { type: 'text/javascript; charset=utf-8', body: read('page.js') },
  };

  return async (fastify: FastifyInstance) => {
    for (const [url, asset] of Object.entries(assets)) {
      fastify.get(url, (_req, reply) =>
        reply
          .type(asset.type)
          .header('content-security-policy', CSP)
          .header('cache-control', 'no-cache')
          .send(asset.body),
      );
    }

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
