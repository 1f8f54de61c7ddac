// Fastify 5 with @fastify/formbody registered first: boots, serves forms and JSON, logs through Fastify's logger,
// disposes the app on close, and checks the allow-list against the connection when no proxy is trusted.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import formbody from '@fastify/formbody';
import { scenarioApp } from '@rolax/ussd-core/testing';
import { ussdPlugin } from '@rolax/ussd-fastify';
import Fastify from 'fastify';
import { brokenApp, form, gatewayFields, json, threeHops } from './shared.mjs';

const lines = [];
const stream = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const server = Fastify({ logger: { level: 'warn', stream } });
await server.register(formbody);
const broken = brokenApp();
await server.register(ussdPlugin, { app: scenarioApp().app, prefix: '/ussd' });
await server.register(ussdPlugin, { app: scenarioApp({ allowedIps: ['196.201.214.1'] }).app, prefix: '/guarded' });
await server.register(ussdPlugin, { app: broken, prefix: '/broken', bodyLimit: 1024 });
server.post('/contact', async (req) => req.body);
const base = await server.listen({ port: 0, host: '127.0.0.1' });

await threeHops(`${base}/ussd`);
assert.equal(await (await fetch(`${base}/ussd`, json(gatewayFields))).text(), 'CON Account number');
const contact = await fetch(`${base}/contact`, form({ name: 'Amina' }));
assert.deepEqual(await contact.json(), { name: 'Amina' });
const forged = form(gatewayFields);
forged.headers['x-forwarded-for'] = '196.201.214.1';
assert.equal((await fetch(`${base}/guarded`, forged)).status, 403);
assert.equal((await fetch(`${base}/broken`, form({ ...gatewayFields, text: '1'.repeat(2000) }))).status, 413);
assert.match(await (await fetch(`${base}/broken`, form(gatewayFields))).text(), /^END Sorry/);
assert.ok(
  lines.some((l) => l.includes('"msg":"USSD turn failed"')),
  `not in Fastify's log: ${lines.join('')}`,
);
await server.close();
assert.equal(broken.disposed, 1);
