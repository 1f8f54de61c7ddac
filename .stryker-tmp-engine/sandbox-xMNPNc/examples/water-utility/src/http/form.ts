// @ts-nocheck
import type { FastifyInstance } from 'fastify';

/** Gateways post forms; parse them as strings and let the core's zod parsers read the fields. */
export function acceptForms(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_req, body, done) => done(null, body),
  );
}
