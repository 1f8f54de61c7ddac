import { Writable } from 'node:stream';
import formbody from '@fastify/formbody';
import { createMenu, createUssdApp, memorySessionStore, type UssdApp } from '@rolax/ussd-core';
import { adapterScenarios } from '@rolax/ussd-core/testing/vitest';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ussdPlugin } from './plugin.js';

const mount =
  (setup: (server: ReturnType<typeof Fastify>) => Promise<unknown> = async () => {}) =>
  async (app: UssdApp) => {
    const server = Fastify();
    await setup(server);
    await server.register(ussdPlugin, { app, prefix: '/ussd' });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    return { url: `${address}/ussd`, close: () => server.close() };
  };

adapterScenarios('fastify 5', mount());
adapterScenarios(
  'fastify 5 behind @fastify/formbody',
  mount((server) => server.register(formbody)),
);

const form = 'sessionId=ATUid_1&phoneNumber=%2B254711000111&serviceCode=*384%23&text=';

function brokenApp() {
  const m = createMenu<object>();
  const store = memorySessionStore();
  let disposed = 0;
  const app = createUssdApp({
    store: { ...store, dispose: async () => void disposed++ },
    menu: m.define({
      id: 'broken',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      screens: {
        home: m.step({
          targets: ['done'],
          run: async () => {
            throw new Error('menu bug');
          },
        }),
        done: m.end({ text: 'Done' }),
      },
    }),
  });
  return { app, disposed: () => disposed };
}

describe('ussdPlugin', () => {
  it("keeps the host's form parser for its other routes", async () => {
    const server = Fastify();
    await server.register(formbody);
    await server.register(ussdPlugin, { app: brokenApp().app, prefix: '/ussd' });
    server.post('/contact', async (req) => req.body);
    const res = await server.inject({
      method: 'POST',
      url: '/contact',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Amina',
    });
    expect(res.json()).toEqual({ name: 'Amina' });
    await server.close();
  });

  it("logs menu bugs through Fastify's logger, and disposes the app when Fastify closes", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { app, disposed } = brokenApp();
    const server = Fastify({ logger: { stream, level: 'warn' } });
    await server.register(ussdPlugin, { app, prefix: '/ussd' });
    const res = await server.inject({
      method: 'POST',
      url: '/ussd',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });
    expect(res.body).toMatch(/^END Sorry, something went wrong/);
    expect(lines.some((l) => l.includes('menu bug'))).toBe(true);
    expect(lines.join('')).not.toContain('711000111');
    await server.close();
    expect(disposed()).toBe(1);
  });

  it('takes a body limit and declares its name and Fastify range', async () => {
    const server = Fastify();
    await server.register(ussdPlugin, { app: brokenApp().app, prefix: '/ussd', bodyLimit: 64 });
    const res = await server.inject({
      method: 'POST',
      url: '/ussd',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `${form}${'1'.repeat(100)}`,
    });
    expect(res.statusCode).toBe(413);
    expect((ussdPlugin as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')]).toEqual({
      name: '@rolax/ussd-fastify',
      fastify: '5.x',
    });
    await server.close();
  });
});
