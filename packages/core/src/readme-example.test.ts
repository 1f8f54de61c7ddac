import { ussdPlugin } from '@rolax/ussd-fastify';
import Fastify from 'fastify';
import { it } from 'vitest';
import { z } from 'zod';
import { createUssdApp } from './engine/app.js';
import { createMenu } from './menu/dsl.js';
import { ussdTester } from './testing/tester.js';

// The README's 20-line example, as written there, served over HTTP.
it('runs the README example', async () => {
  const m = createMenu<{ amount?: number }, { balance: (phone: string) => Promise<number> }>();
  const menu = m.define({
    id: 'sacco',
    version: 1,
    initialContext: () => ({}),
    start: 'home',
    screens: {
      home: m.menu({
        text: 'Umoja SACCO',
        options: [
          { label: 'Balance', next: 'load' },
          { label: 'Deposit', next: 'amount' },
        ],
      }),
      load: m.step({
        targets: ['balance'],
        run: async (_c, { services, session }) => ({
          next: 'balance',
          set: { amount: await services.balance(session.phoneNumber) },
        }),
      }),
      balance: m.end({ text: (c) => `Your balance is KES ${c.amount}` }),
      amount: m.prompt({
        text: 'Amount:',
        schema: z.coerce.number().int().min(10),
        invalid: 'At least KES 10.',
        save: (_c, amount) => ({ amount }),
        next: 'done',
      }),
      done: m.end({ text: (c) => `Deposit of KES ${c.amount} requested.` }),
    },
  });

  const app = createUssdApp({ menu, services: { balance: async () => 1200 } });
  const server = Fastify();
  await server.register(ussdPlugin, { app, prefix: '/ussd' });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  try {
    const t = ussdTester({ url: `${url}/ussd` });
    const a = t.session();
    await a.dial();
    a.expectScreen('Umoja SACCO\n1. Balance\n2. Deposit');
    await a.input('1');
    a.expectEnd('Your balance is KES 1200');
    const b = t.session();
    await b.dial();
    await b.input('2');
    await b.input('5');
    b.expectScreen('At least KES 10.\nAmount:');
    await b.input('50');
    b.expectEnd('Deposit of KES 50 requested.');
  } finally {
    await server.close();
  }
});
