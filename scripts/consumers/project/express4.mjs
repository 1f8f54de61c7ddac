// Express 4 with a global json(): form callbacks, JSON callbacks and the allow-list behind no trusted proxy.
import assert from 'node:assert/strict';
import { scenarioApp } from '@rolax/ussd-core/testing';
import { createUssdMiddleware } from '@rolax/ussd-express';
import express from 'express4';
import { form, gatewayFields, json, threeHops } from './shared.mjs';

async function serve(app) {
  const server = express();
  server.use(express.json());
  server.post('/ussd', createUssdMiddleware(app));
  const listener = server.listen(0, '127.0.0.1');
  await new Promise((r) => listener.once('listening', r));
  return { url: `http://127.0.0.1:${listener.address().port}/ussd`, close: () => listener.close() };
}

const open = await serve(scenarioApp().app);
await threeHops(open.url);
const res = await fetch(open.url, json(gatewayFields));
assert.equal(res.status, 200);
assert.equal(await res.text(), 'CON Account number');
open.close();

const guarded = await serve(scenarioApp({ allowedIps: ['196.201.214.1'] }).app);
const forged = form(gatewayFields);
forged.headers['x-forwarded-for'] = '196.201.214.1';
assert.equal((await fetch(guarded.url, forged)).status, 403);
guarded.close();
