import { z } from 'zod';
import { createUssdApp } from '../engine/app.js';
import { createMenu } from '../menu/dsl.js';
import { silentLogger } from '../util/logger.js';
export interface MountedServer {
  /** Full URL of the USSD callback. */
  url: string;
  close(): Promise<void>;
}

interface Ctx {
  account?: string;
  balance?: string;
}

/** A three-hop menu whose async lookup resolves after a random delay and counts its calls per session. */
export function scenarioApp(options: { allowedIps?: readonly string[] | undefined } = {}) {
  const calls = new Map<string, number>();
  const m = createMenu<Ctx, { lookup: (account: string, sessionId: string) => Promise<string> }>();
  const app = createUssdApp({
    logger: silentLogger,
    allowedIps: options.allowedIps,
    menu: m.define({
      id: 'scenario',
      version: 1,
      initialContext: () => ({}),
      start: 'home',
      screens: {
        home: m.menu({ text: 'Scenario', options: [{ label: 'Balance', next: 'account' }] }),
        account: m.prompt({
          text: 'Account number',
          schema: z.string().regex(/^\d{3,8}$/),
          save: (_c, account) => ({ account }),
          next: 'lookup',
          examples: ['1001'],
        }),
        lookup: m.step({
          run: async (ctx, { services, session }) => ({
            next: 'result',
            set: { balance: await services.lookup(ctx.account ?? '', session.sessionId) },
          }),
          targets: ['result'],
        }),
        result: m.end({ text: (c) => `Account ${c.account}: ${c.balance}` }),
      },
    }),
    services: {
      lookup: async (account, sessionId) => {
        calls.set(sessionId, (calls.get(sessionId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, Math.random() * 30));
        return `KES ${Number(account) * 2}`;
      },
    },
  });
  return { app, calls };
}
