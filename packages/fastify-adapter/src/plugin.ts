import type { Logger, UssdApp } from '@rolax/ussd-core';
import { defaultBodyLimit } from '@rolax/ussd-core/http';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

export interface UssdPluginOptions {
  app: UssdApp;
  /** Route inside the plugin's `prefix` (a `register` option). Default `/`. */
  path?: string | undefined;
  /** Largest gateway body, form or JSON. Default 16 KiB; larger requests get 413. */
  bodyLimit?: number | undefined;
  /** Where the app logs when `createUssdApp` was given no logger. Default: this Fastify instance's logger. */
  logger?: Logger | undefined;
  /** Dispose the app (its session store) when Fastify closes. Default true. */
  disposeOnClose?: boolean | undefined;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * Fastify 5 plugin: `fastify.register(ussdPlugin, { app, prefix: '/ussd' })`. Encapsulated on purpose: the form
 * parser it uses stays inside the plugin, replacing any the host registered (`@fastify/formbody`) only here, so
 * both the host's routes and this one read bodies as they expect. The caller's address for `allowedIps` is
 * `request.ip`, so it follows Fastify's `trustProxy`: with `trustProxy: true` anyone can forge `X-Forwarded-For`;
 * trust only your proxy's address.
 */
const plugin: FastifyPluginAsync<UssdPluginOptions> = async (fastify: FastifyInstance, opts) => {
  const { app } = opts;
  app.useHostLogger(opts.logger ?? fastify.log);
  if (fastify.hasContentTypeParser(FORM)) fastify.removeContentTypeParser(FORM);
  fastify.addContentTypeParser(FORM, { parseAs: 'string' }, (_req, body, done) => done(null, body));
  fastify.post(opts.path ?? '/', { bodyLimit: opts.bodyLimit ?? defaultBodyLimit }, async (req, reply) => {
    const answer = await app.handleHttp({ body: req.body, remoteAddress: req.ip, requestId: req.id });
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
  if (opts.disposeOnClose !== false) fastify.addHook('onClose', () => app.dispose());
};

// What fastify-plugin would set, without its skip-override: a name in errors and a checked Fastify version range.
export const ussdPlugin = Object.assign(plugin, {
  [Symbol.for('fastify.display-name')]: '@rolax/ussd-fastify',
  [Symbol.for('plugin-meta')]: { name: '@rolax/ussd-fastify', fastify: '5.x' },
});
