import type { AddressInfo } from 'node:net';
import type { UssdApp } from '@rolax/ussd-core';
import { adapterScenarios } from '@rolax/ussd-core/testing/vitest';
import express5 from 'express';
import express4 from 'express4';
import { expect, it } from 'vitest';
import { createUssdMiddleware } from './middleware.js';

type Parsers = { urlencoded?: boolean; json?: boolean; trustProxy?: boolean };

function mountWith(express: typeof express5, parsers: Parsers) {
  return async (app: UssdApp) => {
    const server = express();
    if (parsers.trustProxy) server.set('trust proxy', true);
    if (parsers.json) server.use(express.json());
    if (parsers.urlencoded) server.use(express.urlencoded({ extended: false }));
    server.post('/ussd', createUssdMiddleware(app));
    const listener = server.listen(0, '127.0.0.1');
    await new Promise((r) => listener.once('listening', r));
    const { port } = listener.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/ussd`,
      close: () => new Promise<void>((r) => listener.close(() => r())),
    };
  };
}

const express4As5 = express4 as unknown as typeof express5;
for (const [name, express] of [
  ['express 5', express5],
  ['express 4', express4As5],
] as const) {
  adapterScenarios(name, mountWith(express, {}));
  adapterScenarios(`${name} behind urlencoded()`, mountWith(express, { urlencoded: true }));
  adapterScenarios(`${name} behind json()`, mountWith(express, { json: true }));
  adapterScenarios(`${name} behind json() and urlencoded()`, mountWith(express, { json: true, urlencoded: true }));
}

it("takes the caller's address from X-Forwarded-For only when Express is told to trust the proxy", async () => {
  const { scenarioApp } = await import('@rolax/ussd-core/testing');
  const server = await mountWith(express5, { trustProxy: true })(scenarioApp({ allowedIps: ['196.201.214.1'] }).app);
  try {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-forwarded-for': '196.201.214.1' },
      body: new URLSearchParams({ sessionId: 'ATUid_p', phoneNumber: '+254711000111', serviceCode: '*1#' }),
    });
    expect(res.status).toBe(200);
  } finally {
    await server.close();
  }
});
