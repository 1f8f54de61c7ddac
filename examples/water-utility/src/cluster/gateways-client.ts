// A node's side of the shared demo gateways (DEMO_GATEWAYS_URL): where the fakes listen and which fake
// credentials they take, and the phone-side `/dev` routes passed through to them so the simulator works on any node.
import { UssdError } from '@rolax/ussd-core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SharedGatewaysInfo } from './gateways-server.js';

export async function connectSharedGateways(baseUrl: string): Promise<SharedGatewaysInfo> {
  try {
    const res = await fetch(`${baseUrl}/dev/gateways`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as SharedGatewaysInfo;
  } catch (err) {
    throw new UssdError('CONFIG', `DEMO_GATEWAYS_URL: no gateway fakes answer at ${baseUrl} (${String(err)})`);
  }
}

/** The routes of `devRoutes`, answered by the shared gateways process instead of fakes in this node. */
export function devProxyRoutes(baseUrl: string) {
  const forward = async (req: FastifyRequest, reply: FastifyReply) => {
    const hasBody = req.method === 'POST' && req.body !== undefined;
    const res = await fetch(`${baseUrl}${req.url}`, {
      method: req.method,
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      body: hasBody ? JSON.stringify(req.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    return reply
      .code(res.status)
      .type(res.headers.get('content-type') ?? 'application/json')
      .send(await res.text());
  };
  return async (fastify: FastifyInstance) => {
    fastify.get('/dev/sms', forward);
    fastify.get('/dev/stk', forward);
    fastify.post('/dev/stk/:reference/pin', forward);
    fastify.post('/dev/stk/:reference/cancel', forward);
    fastify.post('/dev/providers/delay', forward);
  };
}
