import type { FastifyInstance } from 'fastify';
import type { Registry, RegistryContentType } from 'prom-client';
import { bearerCheck } from './bearer.js';

/** `GET /metrics`: the registry in the Prometheus exposition format, behind the operations token when given. */
export function metricsRoute(o: { registry: Registry<RegistryContentType>; token?: string | undefined }) {
  const allowed = o.token ? bearerCheck(o.token) : () => true;
  return async (fastify: FastifyInstance) => {
    fastify.get('/metrics', async (request, reply) => {
      if (!allowed(request.headers.authorization)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({
          error: 'unauthorized',
          message: 'Send Authorization: Bearer <OPS_TOKEN>',
        });
      }
      return reply.type(o.registry.contentType).send(await o.registry.metrics());
    });
  };
}
