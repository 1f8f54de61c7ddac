// Express 5 behind urlencoded() and json(); an app without a logger logs plain console lines, not JSON.
import assert from 'node:assert/strict';
import { scenarioApp } from '@rolax/ussd-core/testing';
import { createUssdMiddleware } from '@rolax/ussd-express';
import express from 'express';
import { brokenApp, form, gatewayFields, json, threeHops } from './shared.mjs';

async function serve(app, trustProxy = false) {
  const server = express();
  server.set('trust proxy', trustProxy);
  server.use(express.urlencoded({ extended: false }), express.json());
  server.post('/ussd', createUssdMiddleware(app));
  const listener = server.listen(0, '127.0.0.1');
  await new Promise((r) => listener.once('listening', r));
  return { url: `http://127.0.0.1:${listener.address().port}/ussd`, close: () => listener.close() };
}

const open = await serve(scenarioApp().app);
await threeHops(open.url);
assert.equal(await (await fetch(open.url, json(gatewayFields))).text(), 'CON Account number');
open.close();

// Behind a proxy Express is told to trust, the forwarded address is the caller's.
const proxied = await serve(scenarioApp({ allowedIps: ['196.201.214.1'] }).app, 'loopback');
const viaProxy = form(gatewayFields);
viaProxy.headers['x-forwarded-for'] = '196.201.214.1';
assert.equal((await fetch(proxied.url, viaProxy)).status, 200);
proxied.close();

const stderr = [];
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  stderr.push(String(chunk));
  return write(chunk, ...rest);
};
const broken = await serve(brokenApp());
const res = await fetch(broken.url, form(gatewayFields));
assert.match(await res.text(), /^END Sorry, something went wrong/);
broken.close();
const logged = stderr.join('');
assert.match(logged, /\[rolax-ussd\] USSD turn failed/);
assert.ok(!logged.trimStart().startsWith('{'), `JSON on stderr: ${logged}`);
assert.ok(!logged.includes('711000111'), 'full phone number logged');
