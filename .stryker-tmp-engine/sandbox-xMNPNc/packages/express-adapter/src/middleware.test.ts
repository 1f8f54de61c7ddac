// @ts-nocheck
import type { AddressInfo } from 'node:net';
import type { UssdApp } from '@rolax/ussd-core';
import { adapterScenarios } from '@rolax/ussd-core/testing';
import express5 from 'express';
import express4 from 'express4';
import { createUssdMiddleware } from './middleware.js';

function mountWith(express: typeof express5, parseFirst: boolean) {
  return async (app: UssdApp) => {
    const server = express();
    if (parseFirst) server.use(express.urlencoded({ extended: false }));
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

adapterScenarios('express 5', mountWith(express5, false));
adapterScenarios('express 5 behind urlencoded()', mountWith(express5, true));
adapterScenarios('express 4', mountWith(express4 as unknown as typeof express5, false));
