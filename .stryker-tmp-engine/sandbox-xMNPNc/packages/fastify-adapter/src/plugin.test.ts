// @ts-nocheck
import type { UssdApp } from '@rolax/ussd-core';
import { adapterScenarios } from '@rolax/ussd-core/testing';
import Fastify from 'fastify';
import { ussdPlugin } from './plugin.js';

adapterScenarios('fastify 5', async (app: UssdApp) => {
  const server = Fastify();
  await server.register(ussdPlugin, { app, prefix: '/ussd' });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${address}/ussd`, close: () => server.close() };
});
