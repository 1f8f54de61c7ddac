// The three-hop menu every target serves: home menu -> account prompt -> async lookup -> END.
// Texts live here once so the rolax app, the peer library and the load checks cannot drift apart.
import { createMenu, createUssdApp, memorySessionStore, silentLogger } from '@rolax/ussd-core';
import { redisSessionStore } from '@rolax/ussd-core/redis';
import { z } from 'zod';

export const HOME = 'Scenario\n1. Balance';
export const PROMPT = 'Account number';
export const ACCOUNT = '1001';
export const finalText = (account) => `Account ${account}: KES ${Number(account) * 2}`;

/** The async step: resolves on the next microtask, so the bench measures the engine, not a fake delay. */
export const lookup = async (account) => `KES ${Number(account) * 2}`;

/** Expected wire bodies of the three hops for one account. */
export const expectedBodies = (account = ACCOUNT) => [`CON ${HOME}`, `CON ${PROMPT}`, `END ${finalText(account)}`];

/** Paths (Africa's Talking `text`) of the three hops. */
export const hopPaths = (account = ACCOUNT) => ['', '1', `1*${account}`];

/** Home and the account prompt, shared by both bench menus; `next` is where the account leads. */
function openingScreens(m, next) {
  return {
    home: m.menu({ text: 'Scenario', options: [{ label: 'Balance', next: 'account' }] }),
    account: m.prompt({
      text: PROMPT,
      schema: z.string().regex(/^\d{3,8}$/),
      save: (_ctx, account) => ({ account }),
      next,
    }),
  };
}

/**
 * The session store of a bench server: `redisSessionStore` on the redis-server at BENCH_REDIS_PORT when the
 * parent started one for this target, else memory.
 */
export async function benchStore() {
  const port = process.env.BENCH_REDIS_PORT;
  if (!port) return memorySessionStore();
  const { Redis } = await import('ioredis');
  return redisSessionStore({
    client: new Redis({ host: '127.0.0.1', port: Number(port) }),
    prefix: `bench:${process.pid}:`,
  });
}

export function rolaxApp(options = {}) {
  const m = createMenu();
  return createUssdApp({
    logger: silentLogger,
    store: options.store ?? memorySessionStore(),
    observer: options.observer,
    menu: m.define({
      id: 'bench',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      screens: {
        ...openingScreens(m, 'lookup'),
        lookup: m.step({
          run: async (ctx, { services }) => ({ next: 'result', set: { balance: await services.lookup(ctx.account) } }),
          targets: ['result'],
        }),
        result: m.end({ text: (ctx) => `Account ${ctx.account}: ${ctx.balance}` }),
      },
    }),
    services: { lookup },
  });
}

/** The same screens without the async step, for the XState micro-benchmark. */
export function syncMenuApp() {
  const m = createMenu();
  return createUssdApp({
    logger: silentLogger,
    menu: m.define({
      id: 'bench-sync',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      screens: { ...openingScreens(m, 'result'), result: m.end({ text: (ctx) => finalText(ctx.account) }) },
    }),
  });
}

/** Africa's Talking callback fields for one hop. */
export function formBody(sessionId, text) {
  return new URLSearchParams({
    sessionId,
    serviceCode: '*384*1#',
    phoneNumber: '+254711000001',
    networkCode: '63902',
    text,
  }).toString();
}
