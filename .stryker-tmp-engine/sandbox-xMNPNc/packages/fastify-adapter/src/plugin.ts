// @ts-nocheck
import type { UssdApp } from '@rolax/ussd-core';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

export interface UssdPluginOptions {
  app: UssdApp;
  /** Route inside the plugin's prefix. Default `/`. */
  path?: string | undefined;
}

/**
 * Fastify 5 plugin: `fastify.register(ussdPlugin, { app, prefix: '/ussd' })`. Encapsulated on purpose: the form
 * parser it adds stays inside this plugin and does not change how the rest of the server reads bodies.
 */
export const ussdPlugin: FastifyPluginAsync<UssdPluginOptions> = async (fastify: FastifyInstance, opts) => {
  const { app } = opts;
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_req, body, done) => done(null, body),
  );
  fastify.post(opts.path ?? '/', async (req, reply) => {
    const answer = await app.handleHttp({ body: req.body, remoteAddress: req.ip, requestId: req.id });
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
};
