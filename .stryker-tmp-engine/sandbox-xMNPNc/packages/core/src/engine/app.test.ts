// @ts-nocheck
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMenu } from '../menu/dsl.js';
import { memorySessionStore } from '../stores/memory.js';
import { ussdTester } from '../testing/tester.js';
import { silentLogger } from '../util/logger.js';
import { createUssdApp, type UssdAppOptions } from './app.js';

interface Ctx {
  lang: string;
  amount?: number;
  note?: string;
}
type Services = { charge: (n: number) => Promise<string> };
const m = createMenu<Ctx, Services>();
const menu = m.define({
  id: 'demo',
  version: 1,
  languages: ['en', 'sw'],
  initialContext: () => ({ lang: 'en' }),
  start: 'home',
  screens: {
    home: m.menu({
      text: { en: 'Welcome', sw: 'Karibu' },
      options: [
        { label: { en: 'Pay', sw: 'Lipa' }, next: 'amount' },
        { label: { en: 'Note', sw: 'Ujumbe' }, next: 'note' },
        { label: { en: 'Kiswahili', sw: 'Kiswahili' }, next: 'home', set: () => ({ lang: 'sw' }) },
      ],
    }),
    amount: m.prompt({
      text: 'Enter amount',
      schema: z.coerce.number().int().positive().max(1000),
      invalid: 'Amount must be 1 to 1000.',
      save: (_c, amount) => ({ amount }),
      next: 'charge',
      resumable: true,
      examples: ['100'],
    }),
    charge: m.step({
      run: async (ctx, { services }) => ({ next: 'done', set: { note: await services.charge(ctx.amount ?? 0) } }),
      targets: ['done'],
    }),
    note: m.prompt({ text: 'Type a note', schema: z.string().min(1), save: (_c, note) => ({ note }), next: 'done' }),
    done: m.end({ text: (c) => `Done: ${c.note}` }),
  },
});

function app(overrides: Partial<Omit<UssdAppOptions<Services>, 'menu' | 'services'>> = {}) {
  let calls = 0;
  const a = createUssdApp({
    menu,
    services: {
      charge: async (n: number) => {
        calls++;
        return `charged ${n}`;
      },
    },
    logger: silentLogger,
    ...overrides,
  });
  return { app: a, calls: () => calls };
}

describe('engine', () => {
  it('walks a menu, prompt and async step', async () => {
    const { app: a, calls } = app();
    const s = ussdTester(a).session();
    await s.dial();
    s.expectScreen('Welcome\n1. Pay\n2. Note\n3. Kiswahili');
    await s.input('1');
    s.expectScreen('Enter amount');
    await s.input('abc');
    s.expectScreen('Amount must be 1 to 1000.\nEnter amount');
    await s.input('250');
    s.expectEnd('Done: charged 250');
    expect(calls()).toBe(1);
    await s.retry();
    s.expectEnd('Done: charged 250');
    expect(calls()).toBe(1);
  });

  it('keeps * inside free text', async () => {
    const s = ussdTester(app().app).session();
    await s.dial();
    await s.input('2');
    await s.input('gate*3 is leaking');
    s.expectEnd('Done: gate*3 is leaking');
  });

  it('applies a deep dial input by input', async () => {
    const s = ussdTester(app().app).session();
    await s.dial('1*40');
    s.expectEnd('Done: charged 40');
  });

  it('navigates back and home', async () => {
    const s = ussdTester(app().app).session();
    await s.dial();
    await s.input('1');
    s.expectScreen('Enter amount');
    await s.input('0');
    s.expectScreen('Welcome');
    await s.input('3');
    s.expectScreen('Karibu\n1. Lipa');
    await s.input('1');
    await s.input('00');
    s.expectScreen('Karibu');
  });

  it('offers to resume a dropped session', async () => {
    const store = memorySessionStore();
    const { app: a } = app({ store });
    const t = ussdTester(a);
    const first = t.session();
    await first.dial();
    await first.input('1');
    const second = t.session();
    await second.dial();
    second.expectScreen('Continue where you left off?\n1. Continue\n2. Start over');
    await second.input('1');
    second.expectScreen('Enter amount');
    await second.input('70');
    second.expectEnd('Done: charged 70');
    const third = t.session();
    await third.dial();
    third.expectScreen('Welcome');
  });

  it('ends politely after too many invalid answers', async () => {
    const s = ussdTester(app().app).session();
    await s.dial();
    await s.input('1');
    await s.input('x');
    await s.input('y');
    await s.input('z');
    s.expectEnd('Too many invalid attempts');
  });
});
