// Floor for Fastify: parse the form, answer a constant. Anything rolax adds shows up against this.
import Fastify from 'fastify';
import { announce } from './child.mjs';

const app = Fastify({ logger: false });
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
  done(null, Object.fromEntries(new URLSearchParams(body))),
);
app.post('/ussd', async (req, reply) => {
  // Refuse a body that did not parse, so the floor cannot skip the work it stands for.
  if (!req.body?.sessionId) return reply.code(400).type('text/plain').send('no sessionId');
  return reply.type('text/plain; charset=utf-8').send('CON ok');
});
await app.listen({ port: 0, host: '127.0.0.1' });
announce(app.server.address().port);
